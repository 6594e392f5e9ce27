/* gongkai: an agency-year's standing among its peers (same year, province and agency type),
   read from the group's small data file (data/peers/<year>/<province>/<type>.json) that
   the build writes, so the page itself depends on its own report only. Local file, no
   third-party requests. */
(function () {
  "use strict";

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
        var places = (data.places || {})[me] || {};
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          var key = row.getAttribute("data-key");
          var cell = row.querySelector("td.gk-peer");
          var ind = (data.indicators || {})[key];
          if (!cell || !ind) return;
          if (!ind.n) {
            cell.textContent = "同类机关中没有参与排名的";
            return;
          }
          var text = "中位数 " + ind.median + "（" + ind.n + " 个机关）";
          if (places[key]) {
            text = "同类机关中位数 " + ind.median + "，第 " + places[key] + "/" + ind.n;
          } else {
            text += "，本机关不参与排名";
          }
          cell.textContent = text;
        });
        table.setAttribute("data-loaded", "1");
      })
      .catch(function () {
        Array.prototype.forEach.call(table.querySelectorAll("td.gk-peer"), function (cell) {
          cell.textContent = "同类机关数据加载失败";
        });
      });
  }

  startPeers();
})();
