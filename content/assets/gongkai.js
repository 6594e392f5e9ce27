/* gongkai: the Pagefind search page and the sortable, filterable comparison table.
   Local file, no third-party requests. */
(function () {
  "use strict";

  function siteRoot() {
    var logo = document.querySelector("a.md-logo");
    return new URL(logo ? logo.getAttribute("href") : "./", window.location.href);
  }

  function startSearch() {
    var box = document.getElementById("gk-search");
    if (!box) return;
    // written by the build next to the index (gongkai/search_index.py): the shards to merge
    var shards = window.gongkaiSearch;
    if (shards && shards.pages === 0) {
      box.textContent = "本站还没有可以搜索的机关页面。";
      return;
    }
    if (typeof window.PagefindUI === "undefined") return;
    var root = siteRoot();
    var bundle = new URL("pagefind/", root).pathname;
    var ui = new window.PagefindUI({
      element: "#gk-search",
      bundlePath: bundle,
      baseUrl: root.pathname,
      mergeIndex: ((shards && shards.parts) || []).map(function (part) {
        return { bundlePath: bundle + part };
      }),
      showSubResults: true,
      showImages: false,
    });
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) ui.triggerSearch(q);
  }

  var NULL_TITLE = "报告未填写或无法可靠读取";

  function cellText(td, key, value) {
    if (value === null || value === undefined) {
      var s = document.createElement("span");
      s.className = "gk-null";
      s.title = NULL_TITLE;
      s.textContent = "—";
      td.appendChild(s);
    } else if (value === "na") {
      var n = document.createElement("span");
      n.className = "gk-na";
      n.title = "总计为 0，无法计算比例";
      n.textContent = "不适用";
      td.appendChild(n);
    } else if (key.indexOf("share_") === 0) {
      td.textContent = (value * 100).toFixed(1) + "%";
    } else if (key === "year") {
      td.textContent = String(value);
    } else if (typeof value === "number") {
      td.textContent = value.toLocaleString("zh-CN");
    } else {
      td.textContent = String(value);
      td.className = "gk-text";
    }
  }

  function startCompare() {
    var box = document.getElementById("gk-compare");
    if (!box) return;
    var LIMIT = 500;
    var table = document.getElementById("gk-compare-table");
    var body = table.tBodies[0];
    var filter = document.getElementById("gk-compare-filter");
    var year = document.getElementById("gk-compare-year");
    var count = document.getElementById("gk-compare-count");
    var more = document.getElementById("gk-compare-more");
    var root = new URL(box.getAttribute("data-root"), window.location.href);
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var keys = heads.map(function (th) { return th.getAttribute("data-key"); });
    var rows = [];
    var sortKey = null;
    var sortDir = 1;

    function compare(a, b) {
      var i = keys.indexOf(sortKey);
      var x = a[i], y = b[i];
      var xm = x === null || x === "na", ym = y === null || y === "na";
      if (xm || ym) return xm === ym ? 0 : xm ? 1 : -1; // missing values always last
      if (typeof x === "number" && typeof y === "number") return (x - y) * sortDir;
      return String(x).localeCompare(String(y), "zh-CN") * sortDir;
    }

    function draw() {
      var words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var y = year.value;
      var shown = rows.filter(function (r) {
        if (y && String(r[keys.indexOf("year")]) !== y) return false;
        var hay = (r[0] + " " + r[1]).toLowerCase();
        return words.every(function (w) { return hay.indexOf(w) >= 0; });
      });
      if (sortKey) shown.sort(compare);
      body.textContent = "";
      shown.slice(0, LIMIT).forEach(function (r) {
        var tr = document.createElement("tr");
        keys.forEach(function (key, i) {
          var cell = document.createElement(i === 0 ? "th" : "td");
          if (i === 0) {
            cell.scope = "row";
            var a = document.createElement("a");
            a.href = new URL(r[keys.length], root).href;
            a.textContent = r[0];
            cell.appendChild(a);
            if (r[keys.length + 1]) cell.appendChild(document.createTextNode(" （多份报告数字不一致）"));
          } else {
            cellText(cell, key, r[i]);
          }
          tr.appendChild(cell);
        });
        body.appendChild(tr);
      });
      count.textContent = "共 " + shown.length + " 条";
      more.hidden = shown.length <= LIMIT;
      more.textContent = "只显示前 " + LIMIT + " 条，请用筛选缩小范围，或下载 CSV。";
    }

    function sortBy(th) {
      var key = th.getAttribute("data-key");
      sortDir = sortKey === key ? -sortDir : (key === "agency" || key === "region" ? 1 : -1);
      sortKey = key;
      heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
      draw();
    }

    heads.forEach(function (th) {
      th.addEventListener("click", function () { sortBy(th); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(th); }
      });
    });
    filter.addEventListener("input", draw);
    year.addEventListener("change", draw);
    fetch(box.getAttribute("data-src"))
      .then(function (r) { return r.json(); })
      .then(function (data) { rows = data.rows; draw(); })
      .catch(function () { count.textContent = "数据加载失败，请下载 CSV。"; });
  }

  startSearch();
  startCompare();
})();
