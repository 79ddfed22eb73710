/**
 * @module http/pages/assets
 * The pages' one stylesheet and one small script, served from /assets/ so the Content-Security-Policy can
 * forbid every inline style and script. Pages work without the script: it only makes the 核实 form show
 * and require the fields of the chosen method as soon as the method is picked (CSS :has() already shows them).
 */

export const APP_CSS = `
:root{color-scheme:light;--ink:#1a1a1a;--muted:#555;--line:#d0d0cc;--bg:#f4f4f2;--ok:#1b6e2e;--bad:#b3261e;--warn:#8a4b00;--accent:#7a1f1f}
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Serif SC","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",serif;background:var(--bg);color:var(--ink);line-height:1.6;font-size:16px}
a{color:#0b4f8a}
a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f2b705;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.5rem;z-index:2}
header.site{background:var(--accent);color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
header.site a{color:#fff}
header.site .brand{font-weight:700;font-size:1.1rem;text-decoration:none;margin-right:auto}
header.site nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center}
header.site form{display:inline}
header.site button{background:transparent;border:1px solid #fff;color:#fff;border-radius:.4rem;padding:.15rem .6rem;font:inherit;cursor:pointer}
main{max-width:60rem;margin:0 auto;padding:1rem}
main.narrow{max-width:40rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.1rem;margin:0 0 .5rem}
section,.card{background:#fff;border-radius:.75rem;padding:1rem;margin-top:1rem;border:1px solid var(--line)}
.status{border-radius:.75rem;padding:1.25rem;color:#fff;display:flex;gap:1rem;align-items:center}
.status .icon{font-size:3rem;line-height:1;font-weight:bold}
.status h1{margin:0;font-size:2rem;color:#fff}
.status p{margin:.25rem 0 0}
.valid{background:var(--ok)}.revoked{background:var(--bad)}.superseded{background:var(--warn)}.cancelled{background:var(--bad)}.invalid{background:var(--warn)}.not_found{background:#4a4a4a}
.status .checked{font-size:.9rem}
.demo{background:#fff1cc;color:#5c3b00;border:2px dashed var(--warn);border-radius:.5rem;padding:.5rem .75rem;margin:0 0 1rem;font-weight:700}
details.tech summary{cursor:pointer;font-weight:700}details.tech[open] summary{margin-bottom:.5rem}details.tech h2{margin-top:.75rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.35rem 1rem;margin:0}
dt{color:var(--muted)}dd{margin:0;font-weight:600;word-break:break-all}
ul.checks{list-style:none;padding:0;margin:0}
ul.checks li{padding:.25rem 0}
.ok{color:var(--ok)}.fail{color:var(--bad)}.na{color:var(--muted)}
.photo{float:right;width:6rem;border:1px solid #ccc;margin:0 0 .5rem .5rem}
@media (max-width:30rem){.photo{float:none;display:block;margin:0 auto .75rem}}
code{background:#eee;padding:0 .25rem;border-radius:.25rem;word-break:break-all}
footer{color:var(--muted);font-size:.85rem;margin:1rem 0}
form.stack{display:grid;gap:.75rem}
label{display:block;font-weight:600}
label .hint{display:block;font-weight:400;color:var(--muted);font-size:.875rem}
input,select,textarea{display:block;width:100%;margin-top:.25rem;padding:.5rem;border:1px solid #767676;border-radius:.4rem;font:inherit;background:#fff;color:var(--ink)}
input[type=checkbox],input[type=radio]{display:inline;width:auto;margin:0 .4rem 0 0}
fieldset{border:1px solid var(--line);border-radius:.6rem;padding:.75rem;margin:0}
legend{font-weight:700;padding:0 .25rem}
button,.button{display:inline-block;background:var(--accent);color:#fff;border:0;border-radius:.5rem;padding:.6rem 1.2rem;font:inherit;font-weight:700;cursor:pointer;text-decoration:none}
button.secondary,.button.secondary{background:#fff;color:var(--accent);border:2px solid var(--accent)}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.error{background:#fdecea;color:#7a1410;border:1px solid #f5c2bd;border-radius:.5rem;padding:.75rem}
.notice{background:#eef6ee;color:#124d20;border:1px solid #b8dcb9;border-radius:.5rem;padding:.75rem}
table{width:100%;border-collapse:collapse;background:#fff}
th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#efeee9}
.table-wrap{overflow-x:auto}
.badge{display:inline-block;padding:0 .5rem;border-radius:1rem;background:#e7e5df;font-size:.875rem}
.method-fields{display:none}
form:has(#method-information_system:checked) .method-information_system,
form:has(#method-letter:checked) .method-letter,
form:has(#method-phone:checked) .method-phone,
form:has(#method-other:checked) .method-other{display:grid;gap:.75rem}
.grid2{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr))}
form.inline{display:inline}
@media print{header.site,nav,.actions,form{display:none}body{background:#fff}section{border:1px solid #ccc}.status{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
dl.facts{grid-template-columns:minmax(8rem,max-content) 1fr;margin-bottom:.5rem}
@media (max-width:30rem){dl.facts{grid-template-columns:1fr;gap:0}dl.facts dd{margin-bottom:.4rem}}
.prewrap{white-space:pre-wrap;word-break:break-word}
td .hint{display:block;color:var(--muted);font-size:.875rem}
.card.step{margin-top:.75rem;background:#fbfaf7}
details.step summary{cursor:pointer;font-weight:700}details.step[open] summary{margin-bottom:.5rem}
details.fold>summary{cursor:pointer;padding:.25rem 0}details.fold>summary>h2,details.fold>summary>h3{display:inline;margin:0}details.fold>summary>.count{margin-left:.5rem;color:var(--muted);font-size:.875rem;white-space:nowrap}details.fold[open]>summary{margin-bottom:.5rem}details.fold+details.fold,details.fold+h3{margin-top:.75rem}
.field-error{display:block;color:var(--bad);font-weight:700;font-size:.875rem}
.pledge{background:#fff;border-left:4px solid var(--accent);padding:.5rem .75rem;margin:0 0 .5rem;font-weight:400}
button.danger{background:var(--bad)}
form.filter{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin-bottom:.75rem}
form.filter>div{flex:1 1 12rem}
nav.pager{display:flex;gap:1rem;margin-top:.75rem;align-items:center}
section.warning{border-left:4px solid #b3261e;padding-left:.75rem}section.warning h2{color:#7a1410}
svg.chart{display:block;max-width:34rem;height:auto;margin:.5rem 0}
th a.sort{color:inherit;text-decoration:none;white-space:nowrap}th a.sort:hover,th a.sort:focus{text-decoration:underline}
.badge.st-draft,.badge.st-withdrawn{background:#e7e5df}
.badge.st-submitted,.badge.st-unit_review,.badge.st-public_notice,.badge.st-unit_endorsed,.badge.st-department_review,.badge.st-forwarding,.badge.st-authority_review{background:#fff1cc;color:#5c3b00}
.badge.st-approved,.badge.st-issued{background:#d8eedb;color:#124d20}
.badge.res-genuine{background:#d8eedb;color:#124d20}.badge.res-not_genuine{background:#fdecea;color:#7a1410;border:1px solid #b3261e;font-weight:700}.badge.res-unverifiable{background:#fff1cc;color:#5c3b00}
.badge.st-rejected{background:#fdecea;color:#7a1410}
@media (max-width:40rem){table.cards thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}table.cards tr{display:block;border-bottom:1px solid var(--line);padding:.35rem 0}table.cards td{display:block;position:relative;border:0;padding:.15rem .25rem .15rem 6.5rem;min-height:1.6rem}table.cards td::before{content:attr(data-label);position:absolute;left:.25rem;width:5.75rem;color:var(--muted);font-size:.875rem}}
@media print{form.filter,.card.step,nav.pager{display:none}}
section.share{border:2px dashed #0b4f8a;background:#eef4fb}
section.share h2,section.share h1{color:#0b4f8a}
section.share.over{border-color:var(--muted);background:#f0f0ee}
section.share.over h1{color:var(--ink)}
.badge.cert-valid{background:#d8eedb;color:#124d20}.badge.cert-revoked{background:#fdecea;color:#7a1410}
.share-note{font-size:.9rem;color:var(--muted)}
ul.links{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1rem}
`;

export const APP_JS = `
function requireChosenMethod(radio) {
  radio.form.querySelectorAll('.method-fields').forEach(function (box) {
    var on = box.classList.contains('method-' + radio.value);
    box.querySelectorAll('[data-required]').forEach(function (field) { field.required = on; });
  });
}
document.addEventListener('change', function (event) {
  if (event.target && event.target.name === 'method') requireChosenMethod(event.target);
});
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('input[name=method]:checked').forEach(requireChosenMethod);
});
`;

/** A short content hash in each asset URL, so a deploy never serves a stale file from cache. */
function versionOf(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h.toString(36);
}

export const CSS_URL = `/assets/app.css?v=${versionOf(APP_CSS)}`;
export const JS_URL = `/assets/app.js?v=${versionOf(APP_JS)}`;
