// The review report's page script (inlined into report.html by pipeline/report.py).
// Renders each document from its own gzip+base64 JSON block (id "dN"), only when
// its page is shown, so a 10,000-document report opens fast. No framework, no network.
(function(){
"use strict";
const IDX = JSON.parse(document.getElementById('index').textContent);
const docs = IDX.index, PAGE = IDX.page;
let page = 0, shown = [];
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
function hl(text, marks) {
  if (!marks || !marks.length) return esc(text);
  let out = '', at = 0;
  for (const m of marks) {
    const [s, e, cls, label] = m;
    if (s < at || e > text.length) continue;
    out += esc(text.slice(at, s));
    const seg = text.slice(s, e);
    if (cls === 'rm') {
      out += '<del class="rm" title="' + esc(label) + '">' + (label ? '<span class="lbl">' + esc(label) + '</span>' : '') + esc(seg) + '</del>';
    } else if (cls === 'split') {
      let inner = '', last = 0;
      for (const k of m[4]) { inner += esc(seg.slice(last, k)) + '<span class="ins" title="' + esc(label) + '">' + (seg[k] === ' ' ? ' ' : esc(seg[k])) + '</span>'; last = k + 1; }
      inner += esc(seg.slice(last));
      out += '<span class="split" title="' + esc(label) + '">' + inner + '</span>';
    } else {
      out += '<span class="' + cls + '" title="' + esc(label) + '">' + esc(seg) + '</span>';
    }
    at = e;
  }
  return out + esc(text.slice(at));
}
function cell(v) { return v === null || v === undefined ? '<span class="muted">—</span>' : esc(v); }
async function load(i) {
  const b64 = $('d' + i).textContent;
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return JSON.parse(await new Response(stream).text());
}
function render(v) {
  const src = v.source || {};
  let h = '<h3>' + esc(v.id) + ' <span class="tags">' + (v.kind === 'reject' ? '<span>reject</span>' : '<span>' + esc(v.lang) + '</span>') +
    v.stages.map(s => '<span>' + esc(s) + '</span>').join('') + '</span></h3>';
  h += '<div class="muted">' + esc(src.path || '') + (src.line ? ':' + src.line : '') + (src.bytes !== undefined ? ' · ' + src.bytes + ' bytes' : '') +
    (src.encoding ? ' · ' + esc(src.encoding) : '') + (src.site ? ' · site ' + esc(src.site) : '') + '</div>';
  if (v.raw_note) h += '<p class="note">' + esc(v.raw_note) + '</p>';
  if (v.kind === 'reject') {
    h += '<table class="reject"><tr><th>stage</th><td>' + cell(v.reject.stage) + '</td></tr><tr><th>reason</th><td>' + cell(v.reject.reason) +
      '</td></tr><tr><th>detail</th><td>' + cell(v.reject.detail) + '</td></tr></table>';
    if (v.raw !== null) h += '<div class="raw">' + esc(v.raw) + '</div>';
    return h;
  }
  const m = v.marks || {};
  const meta = v.meta;
  h += '<table class="meta"><tr>' + ['title', 'dateline', 'byline', 'published', 'lang'].map(k => '<th>' + k + '</th>').join('') + '</tr><tr>' +
    ['title', 'dateline', 'byline', 'published', 'lang'].map(k => '<td class="m-' + k + '">' + (meta[k] === null || meta[k] === undefined ? cell(null) : hl(meta[k], m[k])) + '</td>').join('') + '</tr></table>';
  let clean = '';
  if (meta.title) clean += '<p class="title">' + hl(meta.title, m.title) + '</p>';
  if (meta.lead) clean += '<p class="lead"><i>' + hl(meta.lead, m.lead) + '</i></p>';
  v.paragraphs.forEach((p, k) => { clean += '<p>' + hl(p, m['paragraphs/' + k]) + '</p>'; });
  h += '<div class="cols"><div><h2>Raw input</h2>' + (v.raw === null ? '<div class="raw muted">raw input not available</div>' : '<div class="raw">' + hl(v.raw, v.raw_marks) + '</div>') +
    '</div><div><h2>Clean record</h2><div class="clean">' + clean + '</div></div></div>';
  if (v.captions.length) {
    h += '<h2>Captions</h2><table class="captions"><tr><th>n</th><th>text</th><th>credit</th><th>lang</th></tr>' +
      v.captions.map((c, k) => '<tr class="caption"><td>' + cell(c.n) + '</td><td>' + hl(c.text, m['captions/' + k]) + '</td><td>' + cell(c.credit) + '</td><td>' + cell(c.lang) + '</td></tr>').join('') + '</table>';
  }
  const splits = v.edits.filter(e => e.stage === 'glue');
  if (splits.length) {
    h += '<details' + (splits.length <= 12 ? ' open' : '') + '><summary>Glue splits (' + splits.length + ')</summary><table class="splits"><tr><th>before</th><th>after</th><th>kind</th><th>where</th><th>score</th></tr>' +
      splits.map(e => '<tr><td>' + esc(e.before) + '</td><td>' + esc(e.after) + '</td><td>' + esc(e.kind) + '</td><td>' + esc(e.where.field) + (e.where.index !== null ? '[' + e.where.index + ']' : '') +
        (e.where.offset !== null ? '@' + e.where.offset : '') + '</td><td class="score">' + (e.score !== undefined ? e.score.toFixed(2) : '') + '</td></tr>').join('') + '</table></details>';
  }
  const other = v.edits.filter(e => e.stage !== 'glue');
  if (other.length) {
    h += '<details><summary>Other edits (' + other.length + ')</summary><table><tr><th>stage</th><th>kind</th><th>before</th><th>after</th><th>where</th></tr>' +
      other.map(e => '<tr><td>' + esc(e.stage) + '</td><td>' + esc(e.kind) + '</td><td>' + esc(JSON.stringify(e.before)) + '</td><td>' + esc(JSON.stringify(e.after)) + '</td><td>' + esc(e.where.field) +
        (e.where.index !== null ? '[' + e.where.index + ']' : '') + '</td></tr>').join('') + '</table></details>';
  }
  if (v.removed.length) {
    const lost = v.removed.filter(r => r.found === false || r.found === null);
    h += '<details' + (v.raw === null ? ' open' : '') + '><summary>Removed (' + v.removed.length + (v.raw !== null && lost.length ? ', ' + lost.length + ' not located in the raw page' : '') + ')</summary><ul class="removed-list">' +
      v.removed.map(r => '<li><del class="rm"><span class="lbl">' + esc(r.stage + ': ' + r.kind + (r.role ? ' ' + r.role : '')) + '</span>' + esc(r.text) + '</del>' + (r.found === false ? ' <span class="muted">(not located)</span>' : '') + '</li>').join('') + '</ul></details>';
  }
  return h;
}
function matches(d) {
  const st = $('f-stage').value, lang = $('f-lang').value, q = $('f-id').value.trim();
  if (st === '!reject' && d.k !== 'x') return false;
  if (st && st !== '!reject' && d.st.indexOf(st) < 0) return false;
  if (lang && d.lang !== lang) return false;
  if (q && d.id.indexOf(q) < 0) return false;
  return true;
}
let generation = 0;
async function update(resetPage) {
  if (resetPage) page = 0;
  const mine = ++generation;
  document.body.dataset.ready = '0';
  shown = [];
  docs.forEach((d, i) => { if (matches(d)) shown.push(i); });
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  page = Math.min(page, pages - 1);
  const slice = shown.slice(page * PAGE, page * PAGE + PAGE);
  const views = await Promise.all(slice.map(i => load(i).catch(err => ({error: String(err)}))));
  if (mine !== generation) return;  // a newer filter or page change is rendering
  const main = $('docs');
  main.textContent = '';
  const frag = document.createDocumentFragment();
  slice.forEach((i, k) => {
    const sec = document.createElement('section');
    sec.className = 'doc ' + (docs[i].k === 'x' ? 'reject' : 'record');
    sec.id = 'doc-' + docs[i].id;
    sec.dataset.lang = docs[i].lang;
    sec.dataset.stages = docs[i].st.join(' ');
    sec.innerHTML = views[k].error ? '<p class="note">cannot show ' + esc(docs[i].id) + ': ' + esc(views[k].error) + '</p>' : render(views[k]);
    frag.appendChild(sec);
  });
  main.appendChild(frag);
  $('pageinfo').textContent = shown.length ? ('documents ' + (page * PAGE + 1) + '–' + (page * PAGE + slice.length) + ' of ' + shown.length + ' matching (page ' + (page + 1) + '/' + pages + ')') : 'no document matches';
  $('prev').disabled = page === 0;
  $('next').disabled = page >= pages - 1;
  document.body.dataset.ready = '1';
}
['f-stage', 'f-lang'].forEach(id => $(id).addEventListener('change', () => update(true)));
$('f-id').addEventListener('input', () => update(true));
$('prev').addEventListener('click', () => { page--; update(false); window.scrollTo(0, $('docs').offsetTop - 60); });
$('next').addEventListener('click', () => { page++; update(false); window.scrollTo(0, $('docs').offsetTop - 60); });
update(true);
})();
