/* The 原文 pages (gongkai/site/source_text.py): a line's number (shown by source.css from
   the line's id, L12) is its link: a click on it puts the line's address in the location
   bar, to copy and cite, and marks the line. */
document.addEventListener("click", function (e) {
  var p = e.target;
  if (p.tagName !== "P" || !p.id || !p.closest("main")) return;
  if (e.offsetX < parseFloat(getComputedStyle(p).paddingLeft)) window.location.hash = p.id;
});
