/* gongkai: an agency-year's standing among its peers (same year, province and agency type),
   read from the group's small data file (data/peers/<year>/<province>/<type>.json) that
   the build writes, so the page itself depends on its own report only. Local file, no
   third-party requests. */
(function () {
  "use strict";

  // The indicators in the order of the file's lists: gongkai.check.indicators.INDICATORS
  // (tests/test_indicators.py compares them).
  var KEYS = [
    "disclosure",
    "disclosure_merits",
    "denied",
    "unable",
    "not_held",
    "carried",
    "review_rate",
    "litigation_rate",
    "review_corrected",
    "litigation_corrected"
  ];

  function startPeers() {
    var table = document.querySelector("table.gk-ind-table[data-peers]");
    if (!table || !table.getAttribute("data-peers")) return;
    var me = table.getAttribute("data-agency");
    fetch(table.getAttribute("data-peers"))
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      })
      .then(function (data) {
        // n[i], median[i]: the group's ranked agencies and their median in indicator i;
        // places[agency][i]: the agency's place (0: not ranked)
        var places = (data.places || {})[me] || [];
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          // a row's indicator: its heading links the definition (…/indicators/#key)
          var link = row.querySelector("th a[href]");
          var i = link ? KEYS.indexOf(link.getAttribute("href").split("#")[1]) : -1;
          var cell = row.cells[3];
          if (!cell || i < 0) return;
          var n = (data.n || [])[i];
          var median = (data.median || [])[i];
          if (!n) {
            cell.textContent = "同类机关中没有参与排名的";
            return;
          }
          var text = "中位数 " + median + "（" + n + " 个机关）";
          if (places[i]) {
            text = "同类机关中位数 " + median + "，第 " + places[i] + "/" + n;
          } else {
            text += "，本机关不参与排名";
          }
          cell.textContent = text;
        });
        table.setAttribute("data-loaded", "1");
      })
      .catch(function () {
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          if (row.cells[3]) row.cells[3].textContent = "同类机关数据加载失败";
        });
      });
  }

  startPeers();
})();
