/* pullsim HTML report: filters and lazily drawn scenario details. Inlined into each report; no
 * network. Every piece of text from the results is set with textContent or setAttribute, never
 * parsed as markup. Filters only rewrite one <style> element, so 10,000 scenarios stay fast. */
(function () {
  'use strict';

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var list = document.getElementById('list');
  var filterStyle = document.getElementById('filter-style');
  var failedBox = document.getElementById('f-failed');
  var ruleSelect = document.getElementById('f-rule');
  var areaSelect = document.getElementById('f-area');
  var nameBox = document.getElementById('f-name');
  var countOut = document.getElementById('f-count');
  var resetButton = document.getElementById('f-reset');
  var openButton = document.getElementById('f-open');
  if (!list || !filterStyle) return;

  // ---- small DOM helpers ----------------------------------------------------------------------

  function add(parent, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) {
      for (var i = 0; i < child.length; i++) add(parent, child[i]);
    } else if (typeof child === 'string' || typeof child === 'number') {
      parent.appendChild(document.createTextNode(String(child)));
    } else {
      parent.appendChild(child);
    }
  }

  // h('td', {cls: 'num', title: 'x'}, 'text', node, [more]): an element; strings become text.
  function h(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var key in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, key) || attrs[key] === undefined) continue;
        if (key === 'cls') node.className = attrs[key];
        else node.setAttribute(key, String(attrs[key]));
      }
    }
    for (var i = 2; i < arguments.length; i++) add(node, arguments[i]);
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    for (var key in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, key)) node.setAttribute(key, String(attrs[key]));
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (typeof child === 'string') node.appendChild(document.createTextNode(child));
      else if (child) node.appendChild(child);
    }
    return node;
  }

  function table(headers, rows, rowClass) {
    var head = h('tr', null, headers.map(function (title) { return h('th', null, title); }));
    var body = h('tbody');
    rows.forEach(function (cells, i) {
      var tr = h('tr', rowClass ? { cls: rowClass(i) } : null);
      cells.forEach(function (cell) {
        if (cell && cell.num) tr.appendChild(h('td', { cls: 'num' }, cell.num));
        else tr.appendChild(h('td', null, cell));
      });
      body.appendChild(tr);
    });
    return h('table', { cls: 'small' }, h('thead', null, head), body);
  }

  // Milliseconds as Go prints a duration: "0s", "250ms", "1m30s", "1h0m5.5s".
  function fmt(ms) {
    if (!ms) return '0s';
    var sign = ms < 0 ? '-' : '';
    ms = Math.abs(ms);
    var trim = function (x) { return String(+x.toFixed(3)); };
    if (ms < 0.001) return sign + Math.round(ms * 1e6) + 'ns';
    if (ms < 1) return sign + trim(ms * 1000) + '\u00b5s';
    if (ms < 1000) return sign + trim(ms) + 'ms';
    var seconds = ms / 1000;
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds - hours * 3600) / 60);
    var rest = seconds - hours * 3600 - minutes * 60;
    return sign + (hours ? hours + 'h' : '') + (hours || minutes ? minutes + 'm' : '') + trim(rest) + 's';
  }

  function shortDigest(digest) {
    return digest && digest.length > 19 ? digest.slice(0, 19) + '\u2026' : (digest || '');
  }

  // ---- filters ----------------------------------------------------------------------------------

  var rows = [];
  for (var r = 0; r < list.children.length; r++) {
    var row = list.children[r];
    rows.push({
      bad: row.classList.contains('bad'),
      rules: ' ' + (row.getAttribute('data-rules') || '') + ' ',
      area: row.getAttribute('data-area') || '',
      name: (row.getAttribute('data-name') || '').toLowerCase()
    });
  }

  function applyFilters() {
    var started = window.performance ? performance.now() : 0;
    var scenarios = '#list > .sc';
    var css = [];
    var failed = failedBox.checked;
    var rule = ruleSelect.value;
    var area = areaSelect.value;
    var name = nameBox.value.trim();
    if (failed) {
      css.push(scenarios + ':not(.bad){display:none}');
      css.push('#rule-table > tbody > tr:not(.bad){display:none}');
    }
    if (rule) {
      css.push(scenarios + ':not([data-rules~="' + CSS.escape(rule) + '"]){display:none}');
      css.push('#rule-table > tbody > tr[data-rule="' + CSS.escape(rule) + '"] > td{background:#ddf4ff}');
    }
    if (area) css.push(scenarios + ':not([data-area="' + CSS.escape(area) + '"]){display:none}');
    if (name) css.push(scenarios + ':not([data-name*="' + CSS.escape(name) + '" i]){display:none}');
    filterStyle.textContent = css.join('\n');
    var lower = name.toLowerCase();
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var s = rows[i];
      if ((!failed || s.bad) && (!rule || s.rules.indexOf(' ' + rule + ' ') >= 0) &&
          (!area || s.area === area) && (!lower || s.name.indexOf(lower) >= 0)) {
        shown++;
      }
    }
    countOut.textContent = 'showing ' + shown + ' of ' + rows.length + ' scenarios';
    var empty = document.getElementById('no-match');
    if (empty) empty.hidden = shown !== 0 || rows.length === 0;
    saveFiltersInHash(failed, rule, area, name);
    // Reading a layout property applies the new style now, so the time below includes it.
    void list.offsetHeight;
    if (window.performance) {
      var ms = Math.round(performance.now() - started);
      countOut.setAttribute('data-filter-ms', String(ms));
      countOut.title = 'filtered and laid out in ' + ms + ' ms';
    }
  }

  // Filters live in the URL ("#filter:failed&rule=KUB-02&area=multi-tenant&name=web"), so a
  // filtered view can be bookmarked or sent to someone.
  var applyingHash = false;
  function saveFiltersInHash(failed, rule, area, name) {
    if (applyingHash || !window.history || !history.replaceState) return;
    var parts = [];
    if (failed) parts.push('failed');
    if (rule) parts.push('rule=' + encodeURIComponent(rule));
    if (area) parts.push('area=' + encodeURIComponent(area));
    if (name) parts.push('name=' + encodeURIComponent(name));
    var hash = parts.length ? '#filter:' + parts.join('&') : '';
    if (hash === location.hash || (!hash && location.hash.indexOf('#filter:') !== 0)) return;
    history.replaceState(null, '', hash || location.pathname + location.search);
  }

  function selectValue(select, value) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) {
        select.value = value;
        return;
      }
    }
    select.appendChild(h('option', { value: value }, value));
    select.value = value;
  }

  function filtersFromHash() {
    if (location.hash.indexOf('#filter:') !== 0) return false;
    var failed = false, rule = '', area = '', name = '', open = false;
    location.hash.slice(8).split('&').forEach(function (part) {
      var eq = part.indexOf('=');
      var key = eq < 0 ? part : part.slice(0, eq);
      var value = '';
      try { value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1)); } catch (e) { return; }
      if (key === 'failed') failed = true;
      else if (key === 'rule') rule = value;
      else if (key === 'area') area = value;
      else if (key === 'name') name = value;
      else if (key === 'open') open = true;
    });
    failedBox.checked = failed;
    selectValue(ruleSelect, rule);
    selectValue(areaSelect, area);
    nameBox.value = name;
    applyingHash = true;
    applyFilters();
    applyingHash = false;
    if (open) openShown();
    return true;
  }

  function resetFilters() {
    failedBox.checked = false;
    ruleSelect.value = '';
    areaSelect.value = '';
    nameBox.value = '';
    applyFilters();
  }

  function showRule(rule) {
    selectValue(ruleSelect, rule);
    applyFilters();
    document.getElementById('scenarios').scrollIntoView();
  }

  [failedBox, ruleSelect, areaSelect].forEach(function (input) {
    input.addEventListener('change', applyFilters);
  });
  nameBox.addEventListener('input', applyFilters);
  resetButton.addEventListener('click', resetFilters);
  openButton.addEventListener('click', openShown);
  document.addEventListener('click', function (event) {
    var target = event.target;
    if (target && target.classList && target.classList.contains('show-rule')) {
      showRule(target.getAttribute('data-rule'));
    }
  });

  // ---- scenario details, drawn when first opened --------------------------------------------------

  // Each scenario's details are deflated JSON in base64 (one string per scenario); inflate one
  // when it is opened. Resolves to the details object.
  var chunks = null;
  function detailsOf(index) {
    if (chunks === null) {
      var holder = document.getElementById('pullsim-data');
      chunks = holder ? JSON.parse(holder.textContent) : [];
    }
    var encoded = chunks[index];
    if (typeof encoded !== 'string') return Promise.reject(new Error('no details for this scenario'));
    if (typeof DecompressionStream === 'undefined') {
      return Promise.reject(new Error('this browser cannot inflate the details (no DecompressionStream); use a recent one'));
    }
    var binary = atob(encoded);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return new Response(stream).text().then(JSON.parse);
  }

  var PHASES = {
    queued: { fill: '#8c959f', name: 'queued' },
    pulling: { fill: '#0969da', name: 'pulling' },
    backoff: { fill: 'url(#hatch)', name: 'back-off' },
    running: { fill: '#2da44e', name: 'running' },
    failed: { fill: '#cf222e', name: 'failed' }
  };
  var svgCount = 0;

  function niceStep(span) {
    var raw = span / 6;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) {
      if (raw <= steps[i] * power) return steps[i] * power;
    }
    return 10 * power;
  }

  function drawTimeline(pod, scenarioEnd) {
    var lanes = [];
    pod.containers.forEach(function (c) { if (lanes.indexOf(c.name) < 0) lanes.push(c.name); });
    pod.timeline.forEach(function (t) { if (lanes.indexOf(t.container) < 0) lanes.push(t.container); });
    var end = scenarioEnd || 0;
    pod.timeline.forEach(function (t) { end = Math.max(end, t.endMs); });
    pod.events.forEach(function (e) { end = Math.max(end, e.atMs); });
    if (end <= 0) end = 1000;
    var width = 900, left = 140, right = 18, top = 24, lane = 22, gap = 8;
    var laneCount = lanes.length + 1;
    var height = top + laneCount * (lane + gap) + 4;
    var x = function (t) { return left + (width - left - right) * (t / end); };
    var hatch = 'hatch-' + (++svgCount);
    var root = svg('svg', {
      'class': 'timeline', viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-label': 'timeline of pod ' + pod.namespace + '/' + pod.name
    });
    var pattern = svg('pattern', { id: hatch, width: 6, height: 6, patternUnits: 'userSpaceOnUse',
                                   patternTransform: 'rotate(45)' },
                      svg('rect', { width: 6, height: 6, fill: '#fff8c5' }),
                      svg('rect', { width: 3, height: 6, fill: '#d4a72c' }));
    root.appendChild(svg('defs', {}, pattern));
    var step = niceStep(end);
    for (var t = 0; t <= end + 1e-9; t += step) {
      root.appendChild(svg('line', { 'class': 'axis', x1: x(t), x2: x(t), y1: top - 6, y2: height - 4 }));
      root.appendChild(svg('text', { 'class': 'tick', x: x(t), y: top - 10, 'text-anchor': 'middle' }, fmt(t)));
    }
    function laneLabel(text, y) {
      var shown = text.length > 20 ? text.slice(0, 19) + '\u2026' : text;
      root.appendChild(svg('text', { x: 6, y: y + lane / 2 + 4 }, svg('title', {}, text), shown));
    }
    lanes.forEach(function (name, i) {
      var y = top + i * (lane + gap);
      laneLabel(name, y);
      root.appendChild(svg('rect', { x: left, y: y, width: width - left - right, height: lane, fill: '#f6f8fa' }));
    });
    pod.timeline.forEach(function (t) {
      var i = lanes.indexOf(t.container);
      var y = top + i * (lane + gap);
      var phase = PHASES[t.kind] || PHASES.pulling;
      var fill = t.kind === 'backoff' ? 'url(#' + hatch + ')' : phase.fill;
      var tip = phase.name + (t.label ? ': ' + t.label : '') + ' (' + fmt(t.startMs) +
                (t.endMs > t.startMs ? ' \u2192 ' + fmt(t.endMs) : '') + ')';
      var x0 = x(t.startMs);
      var w = x(t.endMs) - x0;
      if (t.endMs <= t.startMs) {
        var cx = x0, cy = y + lane / 2;
        root.appendChild(svg('path', {
          d: 'M' + cx + ' ' + (cy - 8) + 'L' + (cx + 6) + ' ' + cy + 'L' + cx + ' ' + (cy + 8) +
             'L' + (cx - 6) + ' ' + cy + 'Z', fill: phase.fill, stroke: '#fff'
        }, svg('title', {}, tip)));
        return;
      }
      root.appendChild(svg('rect', { x: x0, y: y + 2, width: Math.max(w, 2), height: lane - 4, rx: 3,
                                     fill: fill, stroke: t.kind === 'backoff' ? '#d4a72c' : 'none' },
                           svg('title', {}, tip)));
      var text = t.label || phase.name;
      if (w > text.length * 6.2 + 10) {
        root.appendChild(svg('text', { 'class': t.kind === 'backoff' ? '' : 'in', x: x0 + 5, y: y + lane / 2 + 4 },
                             text));
      }
    });
    var ey = top + lanes.length * (lane + gap);
    laneLabel('events', ey);
    pod.events.forEach(function (e) {
      root.appendChild(svg('circle', { 'class': 'ev-' + (e.type === 'Warning' ? 'Warning' : 'Normal'),
                                       cx: x(e.atMs), cy: ey + lane / 2, r: 5, stroke: '#fff' },
                           svg('title', {}, fmt(e.atMs) + ' ' + e.type + ' ' + e.reason + ': ' + e.message)));
    });
    return root;
  }

  function legend() {
    var items = ['queued', 'pulling', 'backoff', 'running', 'failed'].map(function (kind) {
      return h('span', null, h('i', { cls: 'ph-' + kind }), PHASES[kind].name);
    });
    items.push(h('span', null, h('i', { cls: 'ev' }), 'event (hover for text)'));
    return h('div', { cls: 'legend' }, items);
  }

  function pairs(list) {
    return list && list.length ? h('ul', null, list.map(function (p) { return h('li', null, p[0] + ': ' + p[1]); })) : null;
  }

  function objectPairs(obj) {
    var out = [];
    for (var key in obj) if (Object.prototype.hasOwnProperty.call(obj, key)) out.push([key, obj[key]]);
    return out;
  }

  function drawWorld(world) {
    var parts = [];
    parts.push(h('div', null, h('h5', null, 'Cluster'),
      h('div', null, 'Kubernetes ' + (world.clusterVersion || '?')),
      h('div', null, 'admission: ' + (world.admissionPlugins.length ? world.admissionPlugins.join(', ') : 'none')),
      pairs(objectPairs(world.featureGates))));
    world.registries.forEach(function (reg) {
      parts.push(h('div', null, h('h5', null, 'Registry'),
        h('div', { cls: 'mono' }, reg.host),
        h('div', null, 'auth: ' + (reg.auth || 'anonymous') + (reg.users.length ? '; users: ' + reg.users.join(', ') : '')),
        reg.images.length ? h('ul', null, reg.images.map(function (img) {
          return h('li', null, h('span', { cls: 'mono' }, img.reference),
                   img.platforms.length ? ' (' + img.platforms.join(', ') + ')' : '',
                   img.digest ? h('span', { cls: 'muted mono', title: img.digest }, ' ' + shortDigest(img.digest)) : '');
        })) : h('div', { cls: 'muted' }, 'no images')));
    });
    world.nodes.forEach(function (node) {
      parts.push(h('div', null, h('h5', null, 'Node'),
        h('div', null, h('b', null, node.name), ' ', node.platform),
        pairs(objectPairs(node.kubelet)),
        node.files.length ? h('div', null, 'files: ', h('span', { cls: 'mono' }, node.files.join(', '))) : null,
        node.images.length ? h('div', null, 'pre-pulled: ', h('span', { cls: 'mono' }, node.images.join(', '))) : null));
    });
    var out = [h('div', { cls: 'world' }, parts)];
    if (world.objects.length) {
      out.push(table(['Object', 'Namespace / name', 'Detail'], world.objects.map(function (o) {
        return [h('span', { cls: 'wrap' }, o.kind), h('span', { cls: 'wrap' }, (o.namespace ? o.namespace + '/' : '') + o.name),
                h('span', { cls: 'wrap' }, o.detail)];
      })));
    }
    return out;
  }

  function drawPod(pod, end) {
    var box = h('div', { cls: 'pod' });
    box.appendChild(h('h4', null, 'Pod ' + pod.namespace + '/' + pod.name,
                      pod.node ? h('span', { cls: 'muted' }, ' on node ' + pod.node) : null));
    box.appendChild(drawTimeline(pod, end));
    box.appendChild(legend());
    box.appendChild(table(['Container', 'Image', 'Pull policy', 'State', 'Reason / message', 'Platform chosen', 'Digest', 'Started'],
      pod.containers.map(function (c) {
        return [c.name, h('span', { cls: 'mono' }, c.image), c.pullPolicy, c.state,
                h('span', { cls: 'wrap' }, c.reason ? h('b', null, c.reason) : null, c.reason && c.message ? ' ' : null, c.message),
                c.platform || '\u2014', h('span', { cls: 'mono', title: c.digest }, shortDigest(c.digest) || '\u2014'),
                c.startedAtMs === null || c.startedAtMs === undefined ? '\u2014' : fmt(c.startedAtMs)];
      })));
    pod.containers.forEach(function (c) {
      box.appendChild(h('h5', null, 'Credentials tried for ' + c.name));
      if (!c.credentials.length) {
        box.appendChild(h('div', { cls: 'muted' }, 'none recorded'));
        return;
      }
      box.appendChild(table(['#', 'Registry key', 'Username', 'Source', 'Outcome'],
        c.credentials.map(function (a, i) {
          return [{ num: String(i + 1) }, h('span', { cls: 'mono' }, a.registry), h('span', { cls: 'wrap' }, a.username),
                  h('span', { cls: 'wrap' }, a.source), h('span', { cls: 'wrap' }, a.outcome)];
        })));
    });
    box.appendChild(h('h5', null, 'Events (' + pod.events.length + ')'));
    if (pod.events.length) {
      box.appendChild(table(['Time', 'Type', 'Reason', 'Object', 'Message'], pod.events.map(function (e) {
        return [{ num: fmt(e.atMs) }, e.type, h('span', { cls: 'wrap' }, e.reason), h('span', { cls: 'mono' }, e.fieldPath),
                h('span', { cls: 'wrap' }, e.message)];
      }), function (i) { return pod.events[i].type === 'Warning' ? 'warn' : ''; }));
    }
    return box;
  }

  var REQUESTS_SHOWN = 500;
  function requestRows(requests) {
    return requests.map(function (q) {
      return [{ num: fmt(q.atMs) }, h('span', { cls: 'wrap' }, q.registry), h('span', { cls: 'wrap' }, q.client),
              h('span', { cls: 'wrap' }, q.identity), h('span', { cls: 'wrap' }, q.method), h('span', { cls: 'mono' }, q.path),
              { num: String(q.status) }, { num: String(q.bytes) }];
    });
  }
  var REQUEST_HEADERS = ['Time', 'Registry', 'Client', 'Identity', 'Method', 'Path', 'Status', 'Bytes'];

  function drawRequests(d) {
    var out = [h('h4', null, 'Registry requests (' + d.requests.length + (d.requestsOmitted ? ' + ' + d.requestsOmitted + ' not kept' : '') + ')')];
    if (!d.requests.length) return out.concat(h('div', { cls: 'muted' }, 'none'));
    var shown = d.requests.slice(0, REQUESTS_SHOWN);
    var holder = h('div', null, table(REQUEST_HEADERS, requestRows(shown), function (i) { return shown[i].status >= 400 ? 'warn' : ''; }));
    out.push(holder);
    if (d.requests.length > REQUESTS_SHOWN) {
      var more = h('button', { cls: 'linkish', type: 'button' }, 'show all ' + d.requests.length + ' requests');
      more.addEventListener('click', function () {
        holder.replaceChildren(table(REQUEST_HEADERS, requestRows(d.requests), function (i) { return d.requests[i].status >= 400 ? 'warn' : ''; }));
      });
      out.push(more);
    }
    return out;
  }

  function render(details) {
    if (details.getAttribute('data-drawn')) return;
    details.setAttribute('data-drawn', '1');
    var body = details.querySelector('.body');
    add(body, h('p', { cls: 'muted loading' }, 'loading\u2026'));
    detailsOf(Number(details.getAttribute('data-i'))).then(function (d) {
      body.replaceChildren();
      add(body, h('h4', null, 'World'));
      add(body, drawWorld(d.world));
      if (!d.pods.length) add(body, h('p', { cls: 'muted' }, 'No pods ran.'));
      d.pods.forEach(function (pod) { body.appendChild(drawPod(pod, d.virtualTimeMs)); });
      add(body, drawRequests(d));
    }).catch(function (error) {
      body.replaceChildren(h('p', { cls: 'error-box' }, 'Cannot show the details: ' + error.message));
    });
  }

  // Opens the details of the scenarios the filters show, the first 50: drawing is the costly
  // part, and a person reads a few at a time.
  var OPEN_AT_MOST = 50;
  function openShown() {
    var opened = 0;
    for (var i = 0; i < list.children.length && opened < OPEN_AT_MOST; i++) {
      var row = list.children[i];
      if (row.offsetParent === null) continue;
      var more = row.querySelector('details.more');
      if (!more) continue;
      more.open = true;
      render(more);
      opened++;
    }
  }

  list.addEventListener('toggle', function (event) {
    var target = event.target;
    if (target && target.open && target.classList.contains('more')) render(target);
  }, true);

  function openFromHash() {
    if (filtersFromHash()) return;
    var id = location.hash.slice(1);
    if (!id) return;
    try { id = decodeURIComponent(id); } catch (e) { return; }
    var target = document.getElementById(id);
    if (!target || !target.classList.contains('sc')) return;
    if (target.offsetParent === null) resetFilters();
    var more = target.querySelector('details.more');
    if (more) {
      more.open = true;
      render(more);
    }
    // Scroll only when the scenario's top is out of view.
    var top = target.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight - 80) target.scrollIntoView();
  }
  window.addEventListener('hashchange', openFromHash);

  document.documentElement.classList.add('js');
  if (!filtersFromHash()) {
    applyFilters();
    openFromHash();
  }
  // Milliseconds from navigation to a usable page (parsed, filtered, laid out), for the record.
  if (window.performance) document.body.setAttribute('data-ready-ms', String(Math.round(performance.now())));
})();
