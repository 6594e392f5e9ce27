/* gongkai: the Pagefind search page and the sortable, filterable comparison table.
   Local file, no third-party requests. */
(function () {
  "use strict";

  function siteRoot() {
    var logo = document.querySelector("a.md-logo");
    return new URL(logo ? logo.getAttribute("href") : "./", window.location.href);
  }

  // -- search ---------------------------------------------------------------------------
  // Pagefind finds the candidates; this page keeps only those that hold what was asked.
  // Pagefind splits "吴忠市" into 吴忠 + 市 and drops a word its index lacks, so alone it
  // would answer 吴忠市 with every page that has 市 (攀枝花市…). A result is kept when each
  // word of the query is in the page's text, or its characters appear in order in the
  // page's title and place names ("盐池科技局" → 盐池县科学技术局). The markup keeps the
  // class names of Pagefind's own UI (pagefind-ui__result, …) that tests and the
  // benchmark look for; the look is gongkai.css's.
  var FIND_PAGE = 10; // results shown at a time
  var FIND_BATCH = 10; // candidates whose text is fetched at once
  var FIND_CHECK = 60; // candidates checked for one screen of results at most

  function squash(text) {
    // Pagefind marks CJK word breaks with U+200B; spaces do not matter in Chinese
    return String(text || "").replace(/[\s\u200b]+/g, "").toLowerCase();
  }

  function inOrder(hay, needle) {
    var h = Array.from(hay), n = Array.from(needle), i = 0;
    for (var k = 0; k < h.length && i < n.length; k++) if (h[k] === n[i]) i++;
    return i === n.length;
  }

  function queryWords(q) {
    return q.replace(/["“”'‘’]/g, " ").split(/\s+/).map(squash).filter(Boolean);
  }

  function holds(data, words) {
    var meta = data.meta || {};
    var text = squash((meta.title || "") + " " + (data.content || ""));
    var name = squash((meta.title || "") + (meta.places || ""));
    var placeFirst = squash((meta.places || "") + (meta.title || ""));
    return words.every(function (w) {
      return text.indexOf(w) >= 0 || inOrder(name, w) || inOrder(placeFirst, w);
    });
  }

  function cleanExcerpt(text) {
    // Markdown heading marks some reports carry ("# 武威市…") are not words of the report
    return text.replace(/(^|[\s.。])#+\s*/g, "$1");
  }

  function headLength(plain, head) {
    // how many characters (spaces aside) of ``plain`` are the end of ``head``: the page's
    // title and place names, which a result shows on lines of their own
    var p = squash(plain), h = squash(head);
    for (var k = Math.min(p.length, h.length); k >= 4; k--) {
      if (h.slice(h.length - k) === p.slice(0, k)) return k;
    }
    return 0;
  }

  function excerptInto(el, html, head) {
    // Pagefind's excerpt is HTML with <mark>: parsed inert, only text and marks are kept
    var doc = new DOMParser().parseFromString("<body>" + (html || ""), "text/html");
    var parts = Array.prototype.map.call(doc.body.childNodes, function (node) {
      return { text: node.textContent || "", mark: node.nodeName === "MARK" };
    });
    var skip = headLength(parts.map(function (x) { return x.text; }).join(""), head);
    parts.forEach(function (part) {
      var text = part.text;
      while (skip > 0 && text) {
        if (!/\s|\u200b/.test(text[0])) skip--;
        text = text.slice(1);
      }
      text = cleanExcerpt(skip > 0 || !el.childNodes.length ? text.replace(/^[\s.。]+/, "") : text);
      if (!text) return;
      if (part.mark) {
        var m = document.createElement("mark");
        m.textContent = text;
        el.appendChild(m);
      } else {
        el.appendChild(document.createTextNode(text));
      }
    });
  }

  function startSearch() {
    var box = document.getElementById("gk-search");
    if (!box) return;
    var form = box.querySelector("form");
    var input = box.querySelector("input[type=search]");
    var message = box.querySelector(".pagefind-ui__message");
    var list = box.querySelector(".pagefind-ui__results");
    var more = box.querySelector(".gk-find-more");
    var busy = box.querySelector(".gk-find-busy");
    // written by the build next to the index (gongkai/site/search.py): the shards to merge
    var shards = window.gongkaiSearch;
    if (!shards) {
      message.textContent = "搜索索引未能加载。可以按地区或按年度浏览。";
      return;
    }
    if (shards.pages === 0) {
      message.textContent = "本站还没有可以搜索的机关页面。";
      input.disabled = true;
      return;
    }
    var root = siteRoot();
    var bundle = new URL("pagefind/", root);
    var engine = null;
    var run = 0; // the newest search; an older one that finishes late is dropped
    var state = null;

    function load() {
      if (!engine) {
        engine = import(bundle.href + "pagefind.js").then(function (pf) {
          return pf.options({ baseUrl: root.pathname, excerptLength: 40 }).then(function () {
            return Promise.all((shards.parts || []).map(function (part) {
              return pf.mergeIndex(bundle.pathname + part);
            }));
          }).then(function () { return pf; });
        });
      }
      return engine;
    }

    // A report's words are indexed on its 原文 page (gongkai/site/source_text.py SearchMeta),
    // which stands for its agency-year page: the result opens that page.
    function reportPage(url) {
      return url.replace(/(原文|%E5%8E%9F%E6%96%87)(-\d+)?\.html$/i, "");
    }

    function show(data) {
      var meta = data.meta || {};
      var li = document.createElement("li");
      li.className = "pagefind-ui__result gk-find-result";
      var inner = document.createElement("div");
      inner.className = "pagefind-ui__result-inner";
      var title = document.createElement("p");
      title.className = "pagefind-ui__result-title gk-find-title";
      var a = document.createElement("a");
      a.className = "pagefind-ui__result-link";
      a.href = reportPage(data.url);
      a.textContent = meta.title || data.url;
      title.appendChild(a);
      inner.appendChild(title);
      if (meta.region) {
        var where = document.createElement("p");
        where.className = "gk-find-region";
        where.textContent = meta.region;
        inner.appendChild(where);
      }
      var excerpt = document.createElement("p");
      excerpt.className = "pagefind-ui__result-excerpt gk-find-excerpt";
      // the page's text starts "title. places." (Pagefind joins blocks with ". ")
      var head = [meta.title, meta.places].filter(Boolean).join(". ") + ".";
      excerptInto(excerpt, data.excerpt, head);
      if (excerpt.textContent) inner.appendChild(excerpt);
      li.appendChild(inner);
      list.appendChild(li);
    }

    function say() {
      // the message appears only when the search is done (tests wait for it)
      var q = state.query;
      busy.hidden = true;
      message.textContent = "";
      if (state.shown === 0 && state.done) {
        message.appendChild(document.createTextNode("没有找到与“" + q + "”相符的机关或报告。"));
        var hint = document.createElement("span");
        hint.className = "gk-find-hint";
        hint.textContent = "请检查用字，或只输入机关名称的一部分（如“盐池 科技”）、地名（如“宁夏”），也可以";
        var regions = document.createElement("a");
        regions.href = new URL("generated/regions/", root).href;
        regions.textContent = "按地区浏览";
        hint.appendChild(regions);
        hint.appendChild(document.createTextNode("。"));
        message.appendChild(hint);
        message.classList.add("gk-find-none");
      } else if (state.shown === 0) {
        // many candidates, none of the first ones hold the query: unlikely further down
        message.textContent = "在最相关的 " + state.next + " 个页面中没有找到与“" + q + "”相符的结果。";
      } else {
        message.classList.remove("gk-find-none");
        message.textContent = state.done
          ? "找到 " + state.shown + " 个与“" + q + "”相符的结果"
          : "与“" + q + "”相符的前 " + state.shown + " 个结果";
      }
      more.hidden = state.done;
      more.textContent = state.shown ? "显示更多结果" : "继续查找";
    }

    function fill(id) {
      // check candidates in order until a screen of results is found (or none are left)
      var found = 0, checked = 0;
      function step() {
        if (id !== run) return null;
        if (found >= FIND_PAGE || state.next >= state.results.length || checked >= FIND_CHECK) {
          state.done = state.next >= state.results.length;
          say();
          return null;
        }
        var batch = state.results.slice(state.next, state.next + FIND_BATCH);
        state.next += batch.length;
        checked += batch.length;
        return Promise.all(batch.map(function (r) { return r.data(); })).then(function (datas) {
          if (id !== run) return null;
          datas.forEach(function (d) {
            if (holds(d, state.words)) {
              show(d);
              found += 1;
              state.shown += 1;
            }
          });
          return step();
        });
      }
      return step();
    }

    function search(q, now) {
      var id = ++run;
      q = q.trim();
      var url = new URL(window.location.href);
      if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url.href);
      list.textContent = "";
      more.hidden = true;
      message.classList.remove("gk-find-none");
      message.textContent = "";
      var words = queryWords(q);
      busy.hidden = !words.length;
      if (!words.length) return;
      var wait = now ? Promise.resolve() : new Promise(function (ok) { setTimeout(ok, 250); });
      wait.then(function () {
        if (id !== run) return null;
        return load().then(function (pf) { return pf.search(q); }).then(function (res) {
          if (id !== run) return null;
          state = { query: q, words: words, results: res.results, next: 0, shown: 0, done: false };
          return fill(id);
        });
      }).catch(function () {
        if (id === run) {
          busy.hidden = true;
          message.textContent = "搜索出错，请刷新页面再试。";
        }
      });
    }

    input.addEventListener("input", function () { search(input.value, false); });
    input.addEventListener("focus", function () { load(); }, { once: true });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      search(input.value, true);
    });
    more.addEventListener("click", function () {
      if (state) {
        more.hidden = true;
        busy.hidden = false;
        fill(run);
      }
    });
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) {
      input.value = q;
      search(q, true);
    }
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

  function compareHolds(agency, region, words) {
    // as the search page does: each word is in the agency's name or region, or its
    // characters appear there in order ("盐池科技局" → 盐池县科学技术局)
    var hay = squash(agency + " " + region);
    var name = squash(agency), both = squash(region + agency);
    return words.every(function (w) {
      return hay.indexOf(w) >= 0 || inOrder(name, w) || inOrder(both, w);
    });
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
      var words = queryWords(filter.value);
      var y = year.value;
      var shown = rows.filter(function (r) {
        if (y && String(r[keys.indexOf("year")]) !== y) return false;
        return compareHolds(r[0], r[1], words);
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
      count.textContent = shown.length || !(words.length || y)
        ? "共 " + shown.length + " 条"
        : "没有找到相符的报告";
      more.hidden = shown.length <= LIMIT;
      more.textContent = "只显示前 " + LIMIT + " 条，请用筛选缩小范围，或下载 CSV。";
      if (window.gongkaiScrollHints) window.gongkaiScrollHints();
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

  // A table wider than its box scrolls sideways (its first column is sticky, gongkai.css):
  // say so above it, and mark which sides have more (a shadow), as the reader scrolls.
  function markScroll(box) {
    var more = box.scrollWidth - box.clientWidth > 1;
    box.classList.toggle("gk-overflow", more);
    box.classList.toggle("gk-scrolled", more && box.scrollLeft > 0);
    box.classList.toggle("gk-more", more && box.scrollLeft + box.clientWidth < box.scrollWidth - 1);
    var hint = box.previousElementSibling;
    if (more && !(hint && hint.classList.contains("gk-scroll-hint"))) {
      hint = document.createElement("p");
      hint.className = "gk-scroll-hint";
      box.parentNode.insertBefore(hint, box);
    }
    if (hint && hint.classList.contains("gk-scroll-hint")) {
      var table = box.querySelector("table");
      var columns = table && table.rows.length ? table.rows[table.rows.length - 1].cells.length : 0;
      hint.textContent = "表格较宽，左右滑动可看全部" + (columns ? " " + columns + " " : "") + "列 →";
      hint.hidden = !more;
    }
  }

  function scrollBoxes() {
    // .md-typeset__scrollwrap: Material's box around a Markdown table
    return document.querySelectorAll(".gk-scroll, .md-typeset__scrollwrap");
  }

  function startScrollHints() {
    Array.prototype.forEach.call(scrollBoxes(), function (box) {
      if (!box.hasAttribute("data-gk-scroll")) {
        box.setAttribute("data-gk-scroll", "");
        box.addEventListener("scroll", function () { markScroll(box); }, { passive: true });
      }
      markScroll(box);
    });
  }

  // Tooltips written once for the whole site in data/terms.json (gongkai/site/pages.py
  // terms_json) rather than on every page: a linked term's definition, an indicator's
  // formula, what a blank cell ("—") or a share of a zero total ("不适用") means.
  var SCRIPT = document.currentScript ? document.currentScript.src : null; // assets/gongkai.js

  function tooltips() {
    var marked = document.querySelectorAll(
      'a[href*="glossary/#"], .gk-ind-table th a, span.gk-null, span.gk-na'
    );
    if (!marked.length || !SCRIPT || !window.fetch) return;
    fetch(new URL("../data/terms.json", SCRIPT))
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (t) {
        if (!t) return;
        Array.prototype.forEach.call(marked, function (el) {
          if (el.title) return;
          var text;
          if (el.tagName === "A") {
            var key = (el.getAttribute("href") || "").split("#")[1] || "";
            text = /glossary\/#/.test(el.getAttribute("href")) ? t.terms[key] : t.indicators[key];
          } else {
            text = t.marks[el.classList.contains("gk-null") ? "null" : "zero"];
          }
          if (text) el.title = text;
        });
      })
      .catch(function () {});
  }

  // A table row read from one line of the report links that line once, from its first cell
  // (gongkai/site/pages.py tds): the row's other cells link to the same line, except those
  // with a link of their own and those marked as having no line (gk-nl).
  function rowLinks() {
    var first = ".gk-t2 tr>td:first-of-type a[href*='#L'], .gk-t3 tr>td:first-of-type " +
      "a[href*='#L'], .gk-t4 tr>td:first-of-type a[href*='#L']";
    Array.prototype.forEach.call(document.querySelectorAll(first), function (a) {
      for (var td = a.closest("td").nextElementSibling; td; td = td.nextElementSibling) {
        if (td.tagName !== "TD" || !td.firstChild || td.querySelector("a[href]")) continue;
        if (td.classList.contains("gk-nl")) continue;
        var link = document.createElement("a");
        link.setAttribute("href", a.getAttribute("href"));
        while (td.firstChild) link.appendChild(td.firstChild);
        td.appendChild(link);
      }
    });
  }

  tooltips();
  rowLinks();
  startSearch();
  startCompare();
  startScrollHints();
  // again once Material has wrapped its tables and the compare table has its rows
  window.addEventListener("load", startScrollHints);
  window.addEventListener("resize", startScrollHints);
  document.addEventListener("toggle", startScrollHints, true); // a <details> opened
  window.gongkaiScrollHints = startScrollHints;
})();
