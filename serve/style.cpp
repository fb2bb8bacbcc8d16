// The stylesheet of every page (/style.css): readable on a phone, plain in
// print, status colours shared by badges and timeline marks.
#include "serve/serve.h"

namespace banwatch::serve {

std::string_view stylesheet() {
  return R"css(:root { --enacted: #b3261e; --proposed: #b26a00; --considering: #6d5e0f; --reversed: #1e6b3a;
  --other: #5f6368; --ink: #1f1f1f; --muted: #5f6368; --line: #dadce0; --bg: #ffffff; --tint: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  background: var(--bg); }
main { max-width: 60rem; margin: 0 auto; padding: 0 1rem 2rem; }
a { color: #174ea6; }
header.top { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: baseline; padding: .6rem 1rem;
  border-bottom: 1px solid var(--line); background: var(--tint); }
header.top .brand { font-weight: 700; text-decoration: none; color: var(--ink); }
header.top nav { display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
footer.bottom { color: var(--muted); font-size: .85rem; text-align: center; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 1rem 0 .5rem; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
form.filters { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: .5rem;
  padding: .75rem; background: var(--tint); border: 1px solid var(--line); border-radius: 6px; }
form.filters label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
form.filters input, form.filters select, form.filters button { font: inherit; padding: .35rem .45rem;
  border: 1px solid var(--line); border-radius: 4px; min-height: 2.4rem; }
form.filters button { align-self: end; background: #174ea6; color: #fff; border: 0; cursor: pointer; }
.count, .note { color: var(--muted); }
article.event { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; margin: .6rem 0; }
article.event header { display: flex; flex-wrap: wrap; gap: .25rem .4rem; align-items: baseline; }
.permalink { margin-left: auto; color: var(--muted); }
.sep { color: var(--muted); }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 999px; color: #fff; font-size: .8rem;
  font-weight: 600; background: var(--other); }
.badge.status-enacted { background: var(--enacted); } .badge.status-proposed { background: var(--proposed); }
.badge.status-considering { background: var(--considering); } .badge.status-reversed { background: var(--reversed); }
.date { font-variant-numeric: tabular-nums; }
.undated { color: var(--muted); font-style: italic; }
blockquote.evidence { margin: .4rem 0; padding: .2rem .7rem; border-left: 3px solid var(--line);
  overflow-wrap: anywhere; }
ul.citations { margin: .3rem 0 0; padding-left: 1.2rem; font-size: .9rem; overflow-wrap: anywhere; }
.source, .published { color: var(--muted); }
.paging { text-align: right; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
ol.history li.current { font-weight: 600; }
section.article-text { border-top: 1px solid var(--line); margin-top: 1rem; overflow-wrap: anywhere; }
mark { background: #fde293; padding: 0 .1rem; }
.timeline-scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
svg.timeline { max-width: none; font-size: 11px; }
svg.timeline .row-label, svg.timeline .tick-label { fill: var(--ink); }
svg.timeline .guide { stroke: var(--line); stroke-dasharray: 2 3; }
svg.timeline .axis, svg.timeline .tick { stroke: var(--muted); }
svg.timeline .link { stroke: var(--muted); stroke-width: 2; }
svg.timeline .mark { stroke: #fff; stroke-width: 1.5; fill: var(--other); }
svg.timeline .mark.status-enacted { fill: var(--enacted); } svg.timeline .mark.status-proposed { fill: var(--proposed); }
svg.timeline .mark.status-considering { fill: var(--considering); }
svg.timeline .mark.status-reversed { fill: var(--reversed); }
figcaption { color: var(--muted); font-size: .85rem; }
.key { font-weight: 600; } .key.status-enacted { color: var(--enacted); } .key.status-proposed { color: var(--proposed); }
.key.status-considering { color: var(--considering); } .key.status-reversed { color: var(--reversed); }
.table-scroll { overflow-x: auto; }
table.sources { border-collapse: collapse; width: 100%; font-size: .9rem; }
table.sources th, table.sources td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line);
  vertical-align: top; overflow-wrap: anywhere; }
tr.failing td { background: #fce8e6; }
.error { color: var(--enacted); }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  main { padding: 0 .6rem 1.5rem; }
  .permalink { margin-left: 0; }
}
@media print {
  header.top nav, form.filters, .paging, footer.bottom { display: none; }
  body { font-size: 11pt; color: #000; }
  main { max-width: none; padding: 0; }
  a { color: #000; text-decoration: none; }
  article.event, section.article-text { break-inside: avoid; }
  .badge { color: #000; background: none !important; border: 1px solid #000; }
  .timeline-scroll { overflow: visible; }
}
)css";
}

}  // namespace banwatch::serve
