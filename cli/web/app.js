/* hearsay web UI: routes on location.pathname (/ search, /doc/ID article, /trace,
 * /analyze), reads the same-origin JSON API and builds every element with the DOM
 * API. Text from news pages enters the page through text nodes only, never as markup.
 * API spans are UTF-8 byte offsets: byteIndex() maps them to string indices.
 * A page that has finished sets body[data-state] to "ready", "empty" or "error".
 * No framework, no storage, no request to any other origin. */
'use strict';

const main = document.getElementById('main');

/* ---------- DOM and API helpers ---------- */

// el('a', {href, class}, 'text', node, [more]): attributes by name (on* = listener),
// children as nodes, strings (made text nodes) or nested arrays; null/false/'' are skipped.
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids.flat(Infinity)) if (k !== null && k !== undefined && k !== false && k !== '') e.append(k);
  return e;
}

function done(state, title) {
  if (title) document.title = title + ' — hearsay';
  main.removeAttribute('aria-busy');
  document.body.dataset.state = state;
}

function loading() {
  document.body.dataset.state = 'loading';
  main.setAttribute('aria-busy', 'true');
}

// Fetches JSON; a non-2xx answer throws its {"error"} message.
async function api(path, init) {
  const res = await fetch(path, init).catch(() => { throw new Error('The hearsay server cannot be reached.'); });
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) throw new Error((body && body.error) || `${res.status} ${res.statusText}`);
  if (!body) throw new Error('The server did not answer with JSON.');
  return body;
}

const errorBox = err => el('div', {class: 'hs-error', role: 'alert'}, err.message || String(err));
const plural = (n, word) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
const cut = (s, n) => (s.length > n ? s.slice(0, n - 1).trimEnd() + '…' : s);
const docHref = (id, hash) => '/doc/' + encodeURIComponent(id) + (hash ? '#' + encodeURIComponent(hash) : '');
const traceHref = q => '/trace?' + new URLSearchParams({q});
const titleText = t => (typeof t === 'string' ? t : t && t.text) || '';
const safeUrl = u => (typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null);
// An ISO date (time left out) in <time>; any other date string as it is.
function time(d) {
  const iso = typeof d === 'string' && /^\d{4}(-\d\d){0,2}/.exec(d);
  return iso ? el('time', {datetime: iso[0]}, iso[0]) : d || null;
}

// Parts joined by " · ", empty ones left out.
function meta(cls, ...parts) {
  return el('p', {class: cls}, parts.filter(Boolean).map((x, i) => [i ? ' · ' : null, x]));
}

function field(label, input) {
  return el('div', {class: 'hs-field'}, el('label', {for: input.id}, label), input);
}

const KINDS = {direct: 'direct quotation', indirect: 'reported speech',
  mixed: 'paraphrase with quoted words', blockquote: 'block quote'};

/* ---------- text: byte offsets, words, query matches, word diff ---------- */

// A function from UTF-8 byte offsets of text to UTF-16 indices (a lone surrogate
// counts 3 bytes, as U+FFFD after TextEncoder); an offset inside a character maps to its start.
function byteIndex(text) {
  const map = new Uint32Array(text.length * 3 + 1);
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const n = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    map.fill(i, b, b + n);
    b += n;
    if (pair) i++;
  }
  map[b] = text.length;
  return off => map[Math.max(0, Math.min(off, b))];
}

// Case and accents folded, as FTS5's unicode61 tokenizer with remove_diacritics.
const fold = s => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

// The words a search query looks for, as {word, prefix}: FTS5 operators, column
// filters ("content:"), NEAR distances, quotes and parentheses are not words.
function queryTerms(q) {
  const src = q.replace(/[\p{L}\p{N}_]+\s*:/gu, ' ').replace(/,\s*\d+\s*\)/g, ')');
  const terms = [];
  for (const m of src.matchAll(/([\p{L}\p{N}]+)(\*?)/gu)) {
    if (!/^(AND|OR|NOT|NEAR)$/.test(m[1])) terms.push({word: fold(m[1]), prefix: m[2] === '*'});
  }
  return terms;
}

// text as a fragment with the words that match terms in <mark>.
function highlight(text, terms) {
  const frag = document.createDocumentFragment();
  let pos = 0;
  if (terms.length) {
    for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
      const w = fold(m[0]);
      if (!terms.some(t => (t.prefix ? w.startsWith(t.word) : w === t.word))) continue;
      frag.append(text.slice(pos, m.index), el('mark', null, m[0]));
      pos = m.index + m[0].length;
    }
  }
  frag.append(text.slice(pos));
  return frag;
}

// Word-level diff of b against a (LCS over words, case, accents and punctuation
// ignored) as runs [op, words]: '=' b's words, '-' a's removed, '+' b's added.
// Punctuation-only words never count as changes. null when too long to compare.
function diffWords(a, b) {
  const A = a.split(/\s+/).filter(Boolean), B = b.split(/\s+/).filter(Boolean);
  const key = w => fold(w).replace(/[^\p{L}\p{N}]+/gu, '');
  const ka = A.map(key), kb = B.map(key), n = A.length, m = B.length, w = m + 1;
  if ((n + 1) * w > 4e6) return null;
  const L = new Uint16Array((n + 1) * w); // L[i*w+j]: LCS length of A[i..] and B[j..]
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      L[i * w + j] = ka[i] === kb[j] ? L[(i + 1) * w + j + 1] + 1 : Math.max(L[(i + 1) * w + j], L[i * w + j + 1]);
    }
  }
  const runs = [];
  const push = (op, word) => {
    const last = runs[runs.length - 1];
    if (last && last[0] === op) last[1].push(word); else runs.push([op, [word]]);
  };
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && ka[i] === kb[j]) { push('=', B[j]); i++; j++; }
    else if (j >= m || (i < n && L[(i + 1) * w + j] >= L[i * w + j + 1])) { if (ka[i]) push('-', A[i]); i++; }
    else { push(kb[j] ? '+' : '=', B[j]); j++; }
  }
  return runs;
}

/* ---------- router ---------- */

const routes = [
  [/^\/$/, pageSearch],
  [/^\/doc\/(.+)$/, pageDoc],
  [/^\/trace$/, pageTrace],
  [/^\/analyze$/, pageAnalyze],
];

async function route() {
  for (const a of document.querySelectorAll('.hs-header nav a')) {
    if (a.getAttribute('href') === location.pathname) a.setAttribute('aria-current', 'page');
  }
  main.replaceChildren();
  loading();
  const hit = routes.find(([re]) => re.test(location.pathname));
  try {
    if (!hit) throw new Error(`There is no page at ${location.pathname}.`);
    await hit[1](hit[0].exec(location.pathname)[1]);
  } catch (err) {
    main.append(errorBox(err));
    done('error', 'Error');
  }
}

/* ---------- / : search, and the corpus at a glance ---------- */

const FILTERS = ['q', 'speaker', 'outlet', 'since', 'until', 'kind'];

function searchForm(params) {
  const v = k => params.get(k) || '';
  const text = (id, attrs) => el('input', Object.assign({id, name: id, value: v(id)}, attrs));
  const date = id => text(id, {inputmode: 'numeric', placeholder: 'YYYY-MM-DD',
    pattern: '\\d{4}(-\\d{2}(-\\d{2})?)?', title: 'YYYY, YYYY-MM or YYYY-MM-DD'});
  const kind = el('select', {id: 'kind', name: 'kind'},
    ['', ...Object.keys(KINDS)].map(k => el('option', {value: k, selected: k === v('kind')}, k || 'any')));
  const form = el('form', {id: 'search-form', class: 'hs-form', method: 'get', action: '/', role: 'search'},
    el('div', {class: 'hs-query'},
      field('Search statements', text('q', {type: 'search', autofocus: true, placeholder: 'words, "a phrase", prefix*'})),
      el('button', {type: 'submit'}, 'Search')),
    el('div', {class: 'hs-filters'},
      field('Speaker', text('speaker', {})), field('Outlet', text('outlet', {})),
      field('Since', date('since')), field('Until', date('until')), field('Kind', kind)));
  // Navigate to a clean, shareable URL: only the fields that are filled in.
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const p = new URLSearchParams();
    for (const [k, val] of new FormData(form)) if (val.trim()) p.set(k, val.trim());
    location.assign(p.toString() ? '/?' + p : '/');
  });
  return form;
}

async function pageSearch() {
  const params = new URLSearchParams(location.search);
  main.append(el('h1', {class: 'hs-sr'}, 'Search statements'), searchForm(params));
  const given = FILTERS.filter(k => params.get(k));
  if (!given.length) return home();
  const limit = Math.min(1000, Math.max(1, parseInt(params.get('limit'), 10) || 50)); // the API's range
  const qs = new URLSearchParams(given.map(k => [k, params.get(k)]));
  qs.set('limit', limit);
  const {results = []} = await api('/api/search?' + qs);
  const what = given.map(k => params.get(k)).join(', ');
  if (!results.length) {
    main.append(el('p', {id: 'no-results', class: 'hs-empty'}, 'No statement matches your search.'));
    return done('empty', 'No results for ' + what);
  }
  const terms = queryTerms(params.get('q') || '');
  const more = new URLSearchParams(params);
  more.set('limit', Math.min(1000, limit * 2));
  main.append(
    el('p', {id: 'result-count', class: 'hs-summary'}, plural(results.length, 'statement'),
      results.length >= limit ? [' (the first ', String(limit),
        limit < 1000 ? ['; ', el('a', {href: '/?' + more}, 'show more')] : null, ')'] : null),
    el('ol', {id: 'results', class: 'hs-cards'}, results.map(r => resultItem(r, terms))));
  done('ready', what);
}

function resultItem(r, terms) {
  const a = r.attribution || {};
  const content = a.content ? a.content.text : '';
  return el('li', {class: 'hs-result', 'data-doc': r.doc, 'data-attr': a.id},
    meta('hs-meta', time(r.date), r.outlet, KINDS[a.kind] || a.kind),
    el('p', {class: 'hs-who'}, el('span', {class: 'hs-speaker'}, highlight(r.speaker || 'unnamed source', terms)),
      a.cue ? [' ', el('span', {class: 'hs-cue-text'}, a.cue.text)] : null,
      a.via ? ` (via ${a.via.text})` : null),
    content ? el('blockquote', {class: 'hs-quote'}, highlight(content, terms))
      : el('p', {class: 'hs-missing'}, 'missing embed: the statement is not in the text'),
    el('p', {class: 'hs-links'},
      el('a', {href: docHref(r.doc, a.id)}, titleText(r.title) ? `Read in “${cut(titleText(r.title), 80)}”` : 'Read in the article'),
      content ? el('a', {href: traceHref(content)}, 'Trace this statement') : null));
}

// The empty search page: the corpus in figures and its most reprinted statements.
async function home() {
  const [stats, {quotes = []}] = await Promise.all([api('/api/stats'), api('/api/quotes?limit=20')]);
  const n = x => (typeof x === 'number' ? x.toLocaleString('en') : '–');
  const dates = stats.dates || {};
  const figures = [['Documents', n(stats.documents)], ['Statements', n(stats.attributions)],
    ['Outlets', n(stats.outlet_count)], ['Reprinted statements', n(stats.quotes)],
    ['Dates', dates.first ? `${dates.first} to ${dates.last}` : 'none known']];
  const outlets = (stats.outlets || []).filter(o => o.name);
  main.append(el('section', {id: 'stats', 'aria-labelledby': 'stats-h'},
    el('h2', {id: 'stats-h'}, 'The corpus'),
    el('dl', {class: 'hs-figures'}, figures.map(([k, v]) => el('div', null, el('dt', null, k), el('dd', null, v)))),
    outlets.length ? el('p', {class: 'hs-outlets'}, 'Outlets: ', outlets.map((o, i) => [i ? ', ' : '',
      el('a', {href: '/?' + new URLSearchParams({outlet: o.name})}, o.name), ` (${n(o.documents)})`])) : null));
  if (!stats.documents) {
    main.append(el('p', {class: 'hs-empty'}, 'The corpus is empty: add articles with hearsay index.'));
    return done('empty', 'Search');
  }
  main.append(el('section', {id: 'quotes', 'aria-labelledby': 'quotes-h'},
    el('h2', {id: 'quotes-h'}, 'Most reprinted statements'),
    quotes.length ? el('ol', {id: 'quote-list', class: 'hs-cards'}, quotes.map(quoteItem))
      : el('p', {class: 'hs-empty'}, 'No statement is printed in more than one document yet.')));
  done('ready', 'Search');
  reveal(main);
}

function quoteItem(q) {
  const first = q.first || {};
  const aid = q.attribution && q.attribution.id;
  return el('li', {class: 'hs-quote-item', 'data-doc': first.doc},
    el('blockquote', {class: 'hs-quote'}, q.text),
    el('p', {class: 'hs-who'}, el('span', {class: 'hs-speaker'}, q.speaker || 'unnamed source')),
    meta('hs-meta', plural(q.documents || 0, 'document'), plural(q.outlets || 0, 'outlet'),
      (q.variants || []).length > 1 ? plural(q.variants.length, 'wording') : null,
      first.doc ? ['first: ', time(first.date), first.date ? ' ' : '', first.outlet || first.doc] : null),
    el('p', {class: 'hs-links'},
      el('a', {href: traceHref(q.text)}, 'Trace its path'),
      first.doc ? el('a', {href: docHref(first.doc, aid)}, 'First appearance') : null));
}

/* ---------- /trace?q= : a quotation's path through the corpus ---------- */

async function pageTrace() {
  const q = (new URLSearchParams(location.search).get('q') || '').trim();
  const input = el('input', {id: 'trace-q', name: 'q', type: 'search', value: q, required: true,
    placeholder: 'Paste the words of a statement'});
  main.append(el('h1', null, 'Trace a quotation'),
    el('form', {id: 'trace-form', class: 'hs-form hs-query', method: 'get', action: '/trace'},
      field('Quotation', input), el('button', {type: 'submit'}, 'Trace')));
  if (!q) {
    input.focus();
    return done('ready', 'Trace a quotation');
  }
  const {occurrences = []} = await api('/api/trace?' + new URLSearchParams({q}));
  const title = 'Trace of “' + cut(q, 60) + '”';
  if (!occurrences.length) {
    main.append(el('p', {id: 'no-results', class: 'hs-empty'}, 'This quotation was not found in the corpus.'));
    return done('empty', title);
  }
  const wording = o => o.text || (o.attribution && o.attribution.content ? o.attribution.content.text : '');
  const first = occurrences.find(o => o.first) || occurrences[0];
  const outlets = new Set(occurrences.map(o => o.outlet).filter(Boolean)).size;
  const dates = occurrences.map(o => o.date).filter(Boolean).sort();
  main.append(
    el('p', {id: 'trace-summary', class: 'hs-summary'}, plural(occurrences.length, 'occurrence'),
      outlets ? ` in ${plural(outlets, 'outlet')}` : '',
      dates.length ? ` from ${dates[0].slice(0, 10)} to ${dates[dates.length - 1].slice(0, 10)}` : ''),
    el('ol', {id: 'timeline', class: 'hs-timeline'},
      occurrences.map(o => occurrenceItem(o, o === first ? null : wording(first), wording(o)))));
  done('ready', title);
}

// One occurrence; base is the first occurrence's wording (null for the first itself).
function occurrenceItem(o, base, words) {
  const a = o.attribution;
  const runs = base === null ? null : diffWords(base, words);
  const exact = base !== null && !(o.changes || []).length;
  const text = el('blockquote', {class: 'hs-quote hs-wording'});
  for (const [op, ws] of runs || [['=', [words]]]) {
    if (text.firstChild) text.append(' ');
    text.append(op === '=' ? ws.join(' ') : el(op === '-' ? 'del' : 'ins', null, ws.join(' ')));
  }
  return el('li', {class: 'hs-occurrence' + (o.first ? ' hs-first' : ''), 'data-doc': o.doc, 'data-date': o.date || ''},
    el('p', {class: 'hs-meta'}, time(o.date) || 'undated', ' · ', o.outlet || o.doc,
      o.first ? el('span', {class: 'hs-badge hs-badge-first'}, 'first appearance') : null,
      exact ? el('span', {class: 'hs-badge'}, 'exact reprint') : null),
    el('p', {class: 'hs-who'}, el('span', {class: 'hs-speaker'}, o.speaker || (a ? 'unnamed source' : 'no attributed statement')),
      a && a.cue ? [' ', el('span', {class: 'hs-cue-text'}, a.cue.text)] : null,
      a ? null : ' (found in a paragraph)'),
    text,
    el('p', {class: 'hs-links'},
      typeof o.similarity === 'number' ? el('span', null, `similarity ${Math.round(o.similarity * 100)}%`) : null,
      el('a', {href: docHref(o.doc, a ? a.id : o.span && `b${o.span[0]}-${o.span[1]}`)}, 'Read in the article')));
}

/* ---------- /doc/ID and /analyze : the article view ---------- */

async function pageDoc(enc) {
  let id;
  try { id = decodeURIComponent(enc); } catch (e) { throw new Error('This document address is malformed.'); }
  const doc = await api('/api/doc/' + encodeURIComponent(id));
  const view = article(doc, id);
  main.append(view);
  done('ready', titleText(doc.title) || id);
  reveal(view);
  window.addEventListener('hashchange', () => reveal(view));
}

function pageAnalyze() {
  const text = el('textarea', {id: 'analyze-text', name: 'text', rows: 12, required: true,
    placeholder: 'Paste the text of an article, or the HTML of a page'});
  const type = el('select', {id: 'analyze-type', name: 'type'},
    el('option', {value: 'text/plain'}, 'Plain text'), el('option', {value: 'text/html'}, 'HTML page'));
  const button = el('button', {type: 'submit'}, 'Analyze');
  const out = el('div', {id: 'analysis'});
  const form = el('form', {id: 'analyze-form', class: 'hs-form'},
    field('Article', text),
    el('div', {class: 'hs-row'}, field('Type', type), button),
    el('p', {class: 'hs-hint'}, 'Nothing is stored. Ctrl+Enter analyzes.'));
  text.addEventListener('keydown', ev => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) form.requestSubmit();
  });
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    loading();
    button.disabled = true;
    out.replaceChildren();
    try {
      const doc = await api('/api/analyze', {method: 'POST', headers: {'Content-Type': type.value}, body: text.value});
      out.append(article(doc, null));
      done('ready', 'Analysis of ' + (titleText(doc.title) || 'an article'));
    } catch (err) {
      out.append(errorBox(err));
      done('error', 'Analyze an article');
    }
    button.disabled = false;
  });
  main.append(el('h1', null, 'Analyze an article'), form, out);
  done('ready', 'Analyze an article');
}

const ENTITY_TYPES = {PERSON: 'People', ORG: 'Organisations', OUTLET: 'Outlets', LOC: 'Places', MISC: 'Other names'};
// Marks of the same range nest in this order, outermost first.
const LAYER = {block: 0, found: 1, 'hs-content': 2, 'hs-source': 3, 'hs-cue': 4, 'hs-mention': 5,
  'hs-participant': 6, 'hs-trigger': 7};

// The analysis of one document as an article: text with every statement's source,
// cue and content marked, a details popover, statement and entity lists.
// id is the stored document's id (null on /analyze).
function article(doc, id) {
  const text = doc.text || '';
  const at = byteIndex(text);
  const ents = new Map((doc.entities || []).map(e => [e.id, e]));
  const attrs = doc.attributions || [];
  const byId = new Map(attrs.map(a => [a.id, a]));
  const marks = [];
  const mark = (spans, cls, data) => {
    for (const [s, e] of spans || []) marks.push({s: at(s), e: at(e), cls, data, layer: LAYER[cls]});
  };
  for (const a of attrs) {
    for (const part of ['content', 'source', 'cue']) mark(a[part] && a[part].spans, 'hs-' + part, {'data-attr': a.id});
  }
  for (const e of ents.values()) mark(e.mentions, 'hs-mention', {'data-ent': e.id});
  // meetings: the trigger and the parties of each
  const events = doc.events || [];
  for (const v of events) {
    mark(v.trigger.spans, 'hs-trigger', {'data-event': v.id, title: v.type + ', ' + v.factuality});
    for (const p of v.participants || []) if (p) mark(p.spans, 'hs-participant', {'data-event-party': v.id});
  }
  const found = id && /^#b(\d+)-(\d+)$/.exec(location.hash);
  if (found) marks.push({s: at(+found[1]), e: at(+found[2]), cls: 'hs-found', layer: LAYER.found});

  const head = el('header', {class: 'hs-doc-head'});
  const body = el('div', {class: 'hs-text'});
  renderBlocks(doc, text, at, marks, head, body);
  if (!head.firstChild) head.append(el('h1', null, titleText(doc.title) || id || 'Untitled'));
  const url = safeUrl(doc.url);
  head.append(meta('hs-meta', doc.outlet, time(doc.date), doc.byline,
    url ? el('a', {href: url, rel: 'noopener noreferrer nofollow'}, 'original article') : null,
    id ? el('span', {class: 'hs-docid'}, id) : null));

  const errors = doc.errors || [];
  const art = el('article', {class: 'hs-article'}, head,
    el('p', {class: 'hs-legend', 'aria-hidden': 'true'}, el('span', {class: 'hs-key-source'}, 'source'), ' ',
      el('span', {class: 'hs-key-cue'}, 'cue'), ' ', el('span', {class: 'hs-key-content'}, 'content'),
      events.length ? [' ', el('span', {class: 'hs-key-trigger'}, 'meeting'), ' ',
        el('span', {class: 'hs-key-participant'}, 'party')] : null,
      ' — hover, click or focus a statement for details'),
    errors.length ? el('div', {id: 'doc-errors', class: 'hs-notice'}, 'The analysis noted: ',
      el('ul', null, errors.map(e => el('li', null, e)))) : null,
    body);
  // One tab stop per statement: its cue, else its first piece.
  for (const a of attrs) {
    const first = art.querySelector(`.hs-cue[data-attr="${CSS.escape(a.id)}"]`) || pieces(art, a.id)[0];
    if (!first) continue;
    Object.assign(first, {tabIndex: 0, id: a.id});
    first.setAttribute('role', 'button');
  }
  // each meeting's trigger carries its id, for #v2 links (reveal)
  for (const v of events) {
    const t = art.querySelector(`.hs-trigger[data-event="${CSS.escape(v.id)}"]`);
    if (t) t.id = v.id;
  }
  const view = el('div', {class: 'hs-doc', 'data-doc': id},
    art, el('aside', {class: 'hs-side'}, statementList(attrs, ents, art), meetingList(events, ents, art),
      entityList(ents, art)));
  popover(view, art, byId, ents);
  return view;
}

const pieces = (root, aid) => root.querySelectorAll(`[data-attr="${CSS.escape(aid)}"]`);

// Fills head (the headline) and body with the text, block by block. Block spans
// that share a line (dateline and body, caption and credit) make one paragraph;
// consecutive blockquote paragraphs make one <blockquote>.
function renderBlocks(doc, text, at, marks, head, body) {
  const paras = [];
  const blocks = doc.blocks && doc.blocks.length ? doc.blocks
    : [{kind: 'body', spans: [[0, new TextEncoder().encode(text).length]]}];
  for (const b of blocks) {
    for (const [s, e] of b.spans) {
      const part = {kind: b.kind, s: at(s), e: at(e)};
      const last = paras[paras.length - 1];
      if (last && !text.slice(last.e, part.s).includes('\n')) { last.parts.push(part); last.e = part.e; }
      else paras.push({s: part.s, e: part.e, parts: [part]});
    }
  }
  marks.sort(byStart);
  let quote = null;
  for (const p of paras) {
    const kind = p.parts.reduce((x, y) => (y.e - y.s > x.e - x.s ? y : x)).kind;
    const node = el(kind === 'headline' ? 'h1' : 'p', {class: 'hs-block hs-block-' + kind, 'data-kind': kind});
    const inner = p.parts.filter(x => x.kind !== kind)
      .map(x => ({s: x.s, e: x.e, cls: 'hs-block-' + x.kind, layer: LAYER.block}));
    fill(node, text, p.s, p.e, marks.filter(m => m.s < p.e && m.e > p.s).concat(inner));
    if (kind === 'headline' && !head.firstChild) { head.append(node); continue; }
    if (kind !== 'blockquote') quote = null;
    else if (!quote) body.append(quote = el('blockquote', {class: 'hs-blockquote'}));
    (quote || body).append(node);
    if (kind === 'missing-embed') {
      body.append(el('div', {class: 'hs-embed', role: 'note'}, 'missing embed: what this paragraph announces is not in the text'));
    }
  }
}

const byStart = (x, y) => x.s - y.s || y.e - x.e || x.layer - y.layer;

// Appends text[from, to) to node with each mark's range in a <span class=cls>.
// Marks inside others become nested spans; one that crosses the end of an
// enclosing span is split there, so any overlap renders and no mark is lost.
function fill(node, text, from, to, marks) {
  const todo = marks.map(m => ({...m, s: Math.max(m.s, from), e: Math.min(m.e, to)}))
    .filter(m => m.s < m.e).sort(byStart);
  const stack = [{e: to, node}];
  let pos = from;
  const put = (into, upto) => { if (upto > pos) into.append(text.slice(pos, upto)); pos = Math.max(pos, upto); };
  const close = upto => {
    while (stack.length > 1 && stack[stack.length - 1].e <= upto) {
      const top = stack.pop();
      put(top.node, top.e);
    }
  };
  for (let i = 0; i < todo.length; i++) {
    const m = todo[i];
    close(m.s);
    const top = stack[stack.length - 1];
    put(top.node, m.s);
    if (m.e > top.e) {
      const rest = {...m, s: top.e};
      let j = i + 1;
      while (j < todo.length && byStart(todo[j], rest) <= 0) j++;
      todo.splice(j, 0, rest);
      m.e = top.e;
    }
    const span = el('span', Object.assign({class: m.cls}, m.data));
    top.node.append(span);
    stack.push({e: m.e, node: span});
  }
  close(to);
  put(node, to);
}

function speakerOf(a, ents) {
  const e = a.source && a.source.entity && ents.get(a.source.entity);
  return e ? e.name : a.source ? a.source.text : 'unnamed source';
}

// Flashes the statement (#a3), the byte range (#b10-20) or the element the URL's hash names.
function reveal(root) {
  let h = location.hash.slice(1);
  if (!h) return;
  try { h = decodeURIComponent(h); } catch (e) { /* a malformed escape: use the hash as typed */ }
  let targets = root.querySelectorAll(/^b\d+-\d+$/.test(h) ? '.hs-found' : `.hs-article [data-attr="${CSS.escape(h)}"]`);
  if (!targets.length) targets = [document.getElementById(h)].filter(Boolean);
  if (!targets.length) return;
  targets[0].scrollIntoView({block: 'center'});
  for (const t of targets) {
    t.classList.remove('hs-flash');
    void t.offsetWidth; // restart the animation
    t.classList.add('hs-flash');
  }
}

function statementList(attrs, ents, art) {
  const list = el('ol', {id: 'statements', class: 'hs-stmts'}, attrs.map(a => el('li', {'data-stmt': a.id, 'data-speaker': a.source && a.source.entity},
    el('a', {href: '#' + a.id},
      el('span', {class: 'hs-speaker'}, speakerOf(a, ents)), ' ',
      a.cue ? el('span', {class: 'hs-cue-text'}, a.cue.text) : null, ' ',
      el('span', {class: 'hs-excerpt'}, a.content ? '“' + cut(a.content.text, 90) + '”' : '(missing embed)')))));
  list.addEventListener('click', ev => {
    const link = ev.target.closest('a');
    if (!link) return;
    ev.preventDefault();
    history.replaceState(null, '', link.getAttribute('href'));
    reveal(art);
  });
  return el('section', {'aria-labelledby': 'statements-h'},
    el('h2', {id: 'statements-h'}, plural(attrs.length, 'statement')),
    attrs.length ? list : el('p', {class: 'hs-empty'}, 'No statement found.'));
}

// Meetings: parties — trigger — factuality, according to whom; a click shows the trigger (#v2).
function meetingList(events, ents, art) {
  if (!events.length) return null;
  const name = p => { const e = p && p.entity && ents.get(p.entity); return e ? e.name : p ? p.text : ''; };
  const parties = v => [...new Set((v.participants || []).filter(Boolean).map(name))].join(' & ') || 'unnamed parties';
  const list = el('ol', {id: 'meetings', class: 'hs-meetings'}, events.map(v => el('li', {'data-meeting': v.id},
    el('a', {href: '#' + v.id},
      el('span', {class: 'hs-speaker'}, parties(v)), ' — ', el('span', {class: 'hs-cue-text'}, v.trigger.text),
      ' — ', el('span', {class: 'hs-fact hs-fact-' + v.factuality}, v.factuality),
      v.source ? ', according to ' + name(v.source) : null))));
  list.addEventListener('click', ev => {
    const link = ev.target.closest('a');
    if (!link) return;
    ev.preventDefault();
    history.replaceState(null, '', link.getAttribute('href'));
    reveal(art);
  });
  return el('section', {'aria-labelledby': 'meetings-h'},
    el('h2', {id: 'meetings-h'}, plural(events.length, 'meeting')), list);
}

// Entities grouped by type; a click highlights one's mentions and keeps only its statements in the list.
function entityList(ents, art) {
  const groups = new Map(Object.keys(ENTITY_TYPES).map(t => [t, []]));
  for (const e of ents.values()) {
    if (!groups.has(e.type)) groups.set(e.type, []);
    groups.get(e.type).push(e);
  }
  let chosen = null;
  const section = el('section', {id: 'entities', 'aria-labelledby': 'entities-h'},
    el('h2', {id: 'entities-h'}, plural(ents.size, 'name')));
  for (const [type, list] of groups) {
    if (!list.length) continue;
    list.sort((x, y) => (y.mentions || []).length - (x.mentions || []).length || x.name.localeCompare(y.name));
    section.append(el('h3', null, ENTITY_TYPES[type] || type), el('ul', {class: 'hs-entities'}, list.map(e => el('li', null,
      el('button', {type: 'button', class: 'hs-entity', 'data-ent': e.id, 'aria-pressed': 'false',
        title: [e.role, ...(e.aliases || [])].filter(Boolean).join('; ') || null},
      e.name, ' ', el('span', {class: 'hs-count'}, String((e.mentions || []).length)))))));
  }
  section.addEventListener('click', ev => {
    const b = ev.target.closest('button.hs-entity');
    if (!b) return;
    chosen = chosen === b.dataset.ent ? null : b.dataset.ent;
    for (const x of section.querySelectorAll('.hs-entity')) x.setAttribute('aria-pressed', String(x.dataset.ent === chosen));
    for (const m of art.querySelectorAll('.hs-mention')) m.classList.toggle('hs-sel', m.dataset.ent === chosen);
    const stmts = document.getElementById('statements');
    for (const li of stmts ? stmts.children : []) li.hidden = Boolean(chosen) && li.dataset.speaker !== chosen;
    const first = art.querySelector('.hs-mention.hs-sel');
    if (first) first.scrollIntoView({block: 'nearest'});
  });
  return section;
}

// The details popover of art's statements: shown on hover and focus, pinned by a
// click, Enter or Space; Escape, the close button or a click elsewhere hides it.
function popover(view, art, byId, ents) {
  const box = el('div', {id: 'popover', class: 'hs-popover', role: 'dialog', 'aria-label': 'Statement details', hidden: true});
  view.append(box);
  let anchor = null, pinned = false;
  const hide = () => {
    box.hidden = true;
    for (const p of art.querySelectorAll('.hs-active')) p.classList.remove('hs-active');
    anchor = null;
    pinned = false;
  };
  const back = () => { // focus returns to the statement, then the box closes
    const t = anchor;
    if (t && t.tabIndex >= 0) t.focus();
    hide();
  };
  const show = (t, pin) => {
    const a = byId.get(t.dataset.attr);
    if (!a) return;
    hide();
    anchor = t;
    pinned = pin;
    for (const p of pieces(art, a.id)) p.classList.add('hs-active');
    box.replaceChildren(el('button', {type: 'button', class: 'hs-close', 'aria-label': 'Close details', onclick: back}, '×'),
      ...details(a, ents));
    box.hidden = false;
    const rects = t.getClientRects(), r = rects[rects.length - 1] || t.getBoundingClientRect();
    const v = view.getBoundingClientRect();
    box.style.top = `${r.bottom - v.top + 6}px`;
    box.style.left = `${Math.max(0, Math.min(r.left - v.left, v.width - box.offsetWidth))}px`;
  };
  const target = ev => ev.target.closest('[data-attr]');
  art.addEventListener('mouseover', ev => { const t = target(ev); if (t && !pinned && t !== anchor) show(t, false); });
  art.addEventListener('mouseout', ev => {
    const to = ev.relatedTarget;
    if (!pinned && !(to && art.contains(to) && to.closest('[data-attr]'))) hide();
  });
  art.addEventListener('focusin', ev => { const t = target(ev); if (t && !pinned) show(t, false); });
  art.addEventListener('focusout', () => { if (!pinned) hide(); });
  art.addEventListener('click', ev => {
    const t = target(ev);
    if (t) { if (pinned && anchor === t) hide(); else show(t, true); }
  });
  art.addEventListener('keydown', ev => {
    const t = target(ev);
    if (!t || (ev.key !== 'Enter' && ev.key !== ' ')) return;
    ev.preventDefault();
    show(t, true);
    box.querySelector('.hs-close').focus();
  });
  document.addEventListener('keydown', ev => { if (ev.key === 'Escape' && anchor) back(); });
  document.addEventListener('click', ev => {
    if (pinned && !box.contains(ev.target) && !ev.target.closest('[data-attr]')) hide();
  });
}

// The popover's content: who said it (the entity, as written, via), how, hedges, confidence.
function details(a, ents) {
  const src = a.source, e = src && src.entity && ents.get(src.entity);
  const via = a.via && ((a.via.entity && ents.get(a.via.entity)) || {name: a.via.text});
  const rows = [
    ['Speaker', e ? `${e.name} (${e.type})` : src ? src.text : 'not named'],
    ['Also called', e && (e.aliases || []).join(', ')],
    ['Role', e && e.role],
    ['Affiliation', e && e.affiliation],
    ['As written', src && src.text],
    ['Cue', a.cue && a.cue.text],
    ['Via', via && via.name],
    ['Kind', KINDS[a.kind] || a.kind],
    ['Hedges', (a.hedges || []).map(h => h.text).join(', ') || 'none'],
    ['Confidence', typeof a.confidence === 'number' ? a.confidence.toFixed(2) : null]];
  return [
    el('h2', null, 'Statement ' + a.id),
    el('dl', null, rows.filter(r => r[1]).map(([k, v]) => el('div', null, el('dt', null, k), el('dd', null, v)))),
    a.content ? el('blockquote', {class: 'hs-quote'}, cut(a.content.text, 280))
      : el('p', {class: 'hs-missing'}, 'The statement is not in the text (missing embed).'),
    a.content ? el('p', {class: 'hs-links'}, el('a', {href: traceHref(a.content.text)}, 'Trace this statement')) : null];
}

route();
