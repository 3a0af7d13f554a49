// partnerdir search: the site's only script. The filter state lives in the URL so a view can
// be shared, bookmarked and restored with the back button. Without this script the home page
// lists every partner as plain, paged HTML.
//
// Two paths, so that a view without search words never loads the search index (issue 14):
// - browsing (no words): the finder's data written at build time (pages/finder.py): a bitset
//   per filter value over the partners' places in the default order (level, then name),
//   intersected and counted here; a sort order per sort; one small JSON file per card. The
//   default view needs none of it: its first cards are the pre-rendered list.
// - search words: Pagefind, in relevance order, each score raised by BOOST per level step
//   (higher levels first among near-equal matches: the tier-frameworks seed asks for a boost).
//   Pagefind gives the matches and their scores only: pages.json maps each result to its
//   place, so the same bitsets filter, count and order it (Pagefind's own filter lists are
//   never loaded). The engine and those two files load once the first results show, so a
//   search typed later fetches only the index chunk of its words and the results' fragments.
// The pre-rendered list stays until the first results are ready; a later search keeps the
// cards on screen, marked busy, until its results replace them: never an empty result area.
(function () {
  "use strict";

  var root = document.getElementById("search");
  if (
    !root ||
    !window.fetch ||
    !window.history ||
    !window.URLSearchParams ||
    !window.atob ||
    !window.DecompressionStream
  ) {
    return;
  }
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var sortSelect = document.getElementById("search-sort");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
  var status = document.getElementById("search-status");
  var loading = document.getElementById("search-loading");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var moreRow = more.parentNode;
  var shownText = document.getElementById("search-shown");
  var widen = document.getElementById("search-widen");
  var clear = document.getElementById("search-clear");
  var plain = document.getElementById("all-partners");
  var panel = document.getElementById("filter-panel");
  var filterCount = document.getElementById("filter-count");
  var chips = document.getElementById("search-chips");
  var words = JSON.parse(root.dataset.words || "{}");
  var total = Number(root.dataset.total || "0");
  var finder = root.dataset.base + "finder/";

  var PAGE = 30; // result cards shown at a time: each needs a small fetch
  var TYPING_DELAY = 200;
  var BOOST = 0.1; // a keyword result's score is multiplied by 1 + BOOST per level step
  var results = []; // {key, load: () => Promise<meta>} in display order
  var shown = 0;
  var serial = 0; // the newest search; an older one that finishes later is dropped
  var settling = null; // the control whose changes replace the history entry it pushed
  var timer = 0;
  var OPENED = "partnerdir-opened"; // sessionStorage: {url, opened, shown} of the card opened
  var restored = null; // {opened, shown} when coming back to the view a card was opened from
  var defaultSortLabel = sortSelect.options[0].textContent;

  function number(n) {
    return n.toLocaleString("en-GB");
  }

  // ---- data, each file fetched once

  var cache = {};
  function once(key, make) {
    if (!cache[key]) {
      cache[key] = make().catch(function (error) {
        delete cache[key];
        throw error;
      });
    }
    return cache[key];
  }

  // JSON, or gzip-compressed JSON (the finder's larger files, written so at build time)
  // unless the server already inflated it.
  function getJson(url) {
    return window.fetch(url).then(function (response) {
      if (!response.ok) {
        throw new Error(url + ": HTTP " + response.status);
      }
      return response.arrayBuffer().then(function (buffer) {
        var head = new Uint8Array(buffer, 0, Math.min(2, buffer.byteLength));
        if (head[0] !== 0x1f || head[1] !== 0x8b) {
          return JSON.parse(new TextDecoder().decode(buffer));
        }
        var stream = new Blob([buffer]).stream().pipeThrough(new window.DecompressionStream("gzip"));
        return new Response(stream).json();
      });
    });
  }

  function decode(base64) {
    var text = window.atob(base64);
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i += 1) {
      bytes[i] = text.charCodeAt(i);
    }
    return bytes;
  }

  function loadFacets() {
    return once("facets", function () {
      return getJson(finder + "facets.json.gz").then(function (data) {
        var facets = {};
        Object.keys(data.facets).forEach(function (name) {
          facets[name] = {};
          Object.keys(data.facets[name]).forEach(function (value) {
            facets[name][value] = decode(data.facets[name][value]);
          });
        });
        return { count: data.count, facets: facets };
      });
    });
  }

  function loadSort(key) {
    return once("sort-" + key, function () {
      return getJson(finder + "sort-" + encodeURIComponent(key) + ".json.gz");
    });
  }

  // Pagefind's result id -> the partner's place. A large site's index is in parts (the
  // partner at place n in part n % parts), the bundles after the first listed in "parts"; an
  // id two parts both gave is in "shared": id -> {page URL: place}.
  function loadPages() {
    return once("pages", function () {
      return getJson(finder + "pages.json.gz").then(function (data) {
        var places = {};
        var shared = data.shared || {};
        data.pages.split(" ").forEach(function (id, place) {
          if (id && !shared[data.prefix + id]) {
            places[data.prefix + id] = place;
          }
        });
        var bundles = data.parts || [];
        return { places: places, shared: shared, bundles: bundles, parts: bundles.length + 1 };
      });
    });
  }

  function loadCard(place) {
    return once("card-" + place, function () {
      return getJson(finder + "cards/" + place + ".json");
    });
  }

  // Pagefind's engine (its script, WebAssembly and page list), without a worker.
  function loadPagefind() {
    return once("pagefind", function () {
      return import(root.dataset.pagefind).then(function (module) {
        return Promise.resolve(module.options({ baseUrl: root.dataset.base, noWorker: true }))
          .then(function () {
            return module.init();
          })
          .then(function () {
            return module.search(""); // no words: loads the WebAssembly and finds nothing
          })
          .then(loadPages)
          .then(function (pages) {
            // the other parts of a split index share the first one's engine and WebAssembly
            return Promise.all(
              pages.bundles.map(function (bundle) {
                return module.mergeIndex(root.dataset.base + bundle);
              })
            );
          })
          .then(function () {
            return module;
          });
      });
    });
  }

  // ---- the URL

  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (option) {
      return option.value === value;
    });
  }

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    selects.forEach(function (select) {
      var value = params.get(select.dataset.facet) || "";
      select.value = hasOption(select, value) ? value : "";
    });
    var sort = params.get("sort") || "level";
    sortSelect.value = hasOption(sortSelect, sort) ? sort : "level";
  }

  function urlFor() {
    var params = new URLSearchParams();
    var term = input.value.trim();
    if (term) {
      params.set("q", term);
    }
    selects.forEach(function (select) {
      if (select.value) {
        params.set(select.dataset.facet, select.value);
      }
    });
    if (sortSelect.value !== "level") {
      params.set("sort", sortSelect.value);
    }
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  // A control's first change pushes a history entry; its further changes while it keeps the
  // focus (typing, arrowing through a list) replace that entry, so Back leaves the control's
  // whole visit at once rather than one keystroke or one country at a time.
  function writeUrl(control) {
    var url = urlFor();
    if (url === window.location.pathname + window.location.search) {
      return;
    }
    if (control && settling === control) {
      window.history.replaceState(null, "", url);
    } else {
      window.history.pushState(null, "", url);
    }
    settling = control;
  }

  function activeFilters(except) {
    var filters = {};
    selects.forEach(function (select) {
      if (select.value && select.dataset.facet !== except) {
        filters[select.dataset.facet] = select.value;
      }
    });
    return filters;
  }

  function isEmpty(object) {
    return Object.keys(object).length === 0;
  }

  // ---- browsing: bitsets over places in the default order

  function intersect(facets, filters) {
    var bits = null;
    Object.keys(filters).forEach(function (name) {
      var set = (facets.facets[name] || {})[filters[name]] || new Uint8Array(0);
      if (!bits) {
        bits = set.slice();
        return;
      }
      for (var i = 0; i < bits.length; i += 1) {
        bits[i] &= set[i] || 0;
      }
    });
    return bits; // null: no filter, every place
  }

  function popcount(byte) {
    var n = 0;
    while (byte) {
      n += byte & 1;
      byte >>= 1;
    }
    return n;
  }

  function countBoth(a, b, within) {
    var n = 0;
    for (var i = 0; i < b.length; i += 1) {
      n += popcount((a ? a[i] : 255) & b[i] & (within ? within[i] : 255));
    }
    return n;
  }

  function has(bits, place) {
    return !bits || (bits[place >> 3] & (1 << (place & 7))) !== 0;
  }

  // Per facet value: the partners it would give with the other facets (and `within`, the
  // places the words matched) kept.
  function browseCounts(facets, within) {
    var counts = {};
    selects.forEach(function (select) {
      var facet = select.dataset.facet;
      var others = intersect(facets, activeFilters(facet));
      var values = facets.facets[facet] || {};
      counts[facet] = {};
      Object.keys(values).forEach(function (value) {
        counts[facet][value] = countBoth(others, values[value], within);
      });
    });
    return counts;
  }

  // Every partner: the counts the page was built with.
  function totalCounts() {
    var counts = {};
    selects.forEach(function (select) {
      counts[select.dataset.facet] = {};
      Array.prototype.forEach.call(select.options, function (option) {
        if (option.value) {
          counts[select.dataset.facet][option.value] = Number(option.dataset.count);
        }
      });
    });
    return counts;
  }

  function cardResult(place) {
    return {
      key: String(place),
      load: function () {
        return loadCard(place);
      },
    };
  }

  function browse() {
    var filters = activeFilters(null);
    var sort = sortSelect.value;
    if (isEmpty(filters) && sort === "level") {
      var all = [];
      for (var place = 0; place < total; place += 1) {
        all.push(cardResult(place));
      }
      return Promise.resolve({ results: all, counts: totalCounts(), plain: true });
    }
    return Promise.all([loadFacets(), sort === "level" ? null : loadSort(sort)]).then(
      function (loaded) {
        var facets = loaded[0];
        var bits = intersect(facets, filters);
        var order = loaded[1];
        var found = [];
        var count = facets.count;
        for (var n = 0; n < count; n += 1) {
          var at = order ? order[n] : n;
          if (has(bits, at)) {
            found.push(cardResult(at));
          }
        }
        return { results: found, counts: browseCounts(facets, null) };
      }
    );
  }

  // ---- search words: Pagefind

  // The words a person typed, as Pagefind compares them: lower case, without diacritics.
  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // Pagefind matches the last word as a prefix and, when nothing starts with it, falls back to
  // a shorter prefix ("isarx" finds every "is"). The rule here: each word typed must begin a
  // word of the partner's page. The best match shows whether the index fell back: when it
  // does not hold that, no result does. With `anywhere` (a part of a split index, judged by a
  // result of its own, often a weaker one than the best of all), a word may begin anywhere in
  // the text: Pagefind's text runs elements together ("IndustriesHealthcare").
  function matchesEveryWord(term, page, anywhere) {
    var text = " " + folded((page.content || "") + " " + ((page.meta || {}).title || ""))
      .replace(/[^\p{L}\p{N}]+/gu, " ");
    return folded(term)
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
      .every(function (word) {
        return text.indexOf(anywhere ? word : " " + word) !== -1;
      });
  }

  function keywordResult(result, key) {
    return {
      key: key,
      load: function () {
        return once("page-" + key, function () {
          return result.data().then(function (page) {
            var meta = Object.assign({}, page.meta || {});
            meta.__excerpt = page.excerpt || "";
            meta.__page = page;
            return meta;
          });
        });
      },
    };
  }

  function zeroCounts() {
    var counts = {};
    selects.forEach(function (select) {
      counts[select.dataset.facet] = {};
    });
    return counts;
  }

  function levelSteps(facets) {
    var levelSelect = selects.filter(function (select) {
      return select.dataset.facet === "level";
    })[0];
    var levels = levelSelect
      ? Array.prototype.slice.call(levelSelect.options, 1).map(function (option) {
          return option.value;
        })
      : [];
    return levels.map(function (level, index) {
      return { bits: (facets.facets.level || {})[level], step: levels.length - 1 - index };
    });
  }

  // Each result with its place, and the key its card is known by. An id that two parts of a
  // split index both gave (pages.shared) is told apart by its fragment's URL.
  function locate(pages, found) {
    return Promise.all(
      found.map(function (result, index) {
        var shared = pages.shared[result.id];
        var hit = { result: result, index: index, place: pages.places[result.id], key: result.id };
        if (!shared) {
          return hit;
        }
        return result.data().then(function (page) {
          hit.place = shared[page.raw_url];
          hit.key = result.id + "@" + hit.place;
          return hit;
        });
      })
    ).then(function (hits) {
      return hits.filter(function (hit) {
        return hit.place !== undefined;
      });
    });
  }

  // The parts of the index that fell back (matchesEveryWord): Pagefind falls back per index,
  // so each part is judged by its first result shown, as a single index is; a part of a split
  // index with no result shown is judged by its best (its results still count in the filters).
  function fallenParts(term, parts, shown, located) {
    var probes = {};
    shown.concat(parts > 1 ? located : []).forEach(function (hit) {
      var part = hit.place % parts;
      if (!probes[part]) {
        probes[part] = hit;
      }
    });
    return Promise.all(
      Object.keys(probes).map(function (part) {
        return probes[part].item.load().then(function (meta) {
          return matchesEveryWord(term, meta.__page, parts > 1) ? -1 : Number(part);
        });
      })
    ).then(function (parts) {
      return parts.filter(function (part) {
        return part !== -1;
      });
    });
  }

  // Pagefind loads, for each word, the one chunk of its index whose range holds the word, and
  // extends the word to the longer words of the chunks it has ("health" finds "healthcare"):
  // an extension in the next chunk is missed. Where one index has its chunk boundaries, each
  // part of a split index has others, so a split index first loads, in each part, the chunk
  // where each word's extensions end too ("health\uffff"), and finds them all.
  function loadExtensions(pagefind, pages, term) {
    if (pages.parts === 1) {
      return Promise.resolve(null);
    }
    return pagefind.preload(term.trim().split(/\s+/).join("\uffff ") + "\uffff");
  }

  function keyword(term) {
    return Promise.all([loadPagefind(), loadFacets(), loadPages(), sortSelect.value === "level" ? null : loadSort(sortSelect.value)])
      .then(function (loaded) {
        var facets = loaded[1];
        var pages = loaded[2];
        var order = loaded[3];
        return loadExtensions(loaded[0], pages, term)
          .then(function () {
            return loaded[0].search(term);
          })
          .then(function (found) {
            return locate(pages, (found && found.results) || []);
          })
          .then(function (located) {
            var bits = intersect(facets, activeFilters(null));
            var steps = levelSteps(facets);
            located.forEach(function (hit) {
              hit.step = 0;
              steps.forEach(function (level) {
                if (level.bits && has(level.bits, hit.place)) {
                  hit.step = level.step;
                }
              });
              hit.score = hit.result.score * (1 + BOOST * hit.step);
              hit.item = keywordResult(hit.result, hit.key);
            });
            var hits = located.filter(function (hit) {
              return has(bits, hit.place);
            });
            if (order) {
              var rank = {};
              order.forEach(function (place, n) {
                rank[place] = n;
              });
              hits.sort(function (a, b) {
                return rank[a.place] - rank[b.place];
              });
            } else {
              // relevance raised per level step; then level, then Pagefind's order
              hits.sort(function (a, b) {
                return b.score - a.score || b.step - a.step || a.index - b.index;
              });
            }
            return fallenParts(term, pages.parts, hits, located).then(function (fallen) {
              function real(hit) {
                return fallen.indexOf(hit.place % pages.parts) === -1;
              }
              var kept = located.filter(real);
              if (fallen.length && !kept.length) {
                return { results: [], counts: zeroCounts() };
              }
              var within = new Uint8Array(Math.ceil(facets.count / 8));
              kept.forEach(function (hit) {
                within[hit.place >> 3] |= 1 << (hit.place & 7);
              });
              var results = hits.filter(real).map(function (hit) {
                return hit.item;
              });
              return { results: results, counts: browseCounts(facets, within) };
            });
          });
      });
  }

  // ---- showing

  function showCounts(counts) {
    selects.forEach(function (select) {
      var facetCounts = counts[select.dataset.facet] || {};
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) {
          return;
        }
        var count = facetCounts[option.value] || 0;
        option.textContent = option.dataset.label + " (" + number(count) + ")";
        option.disabled = count === 0 && option.value !== select.value;
      });
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function hidden(text) {
    return element("span", "visually-hidden", text);
  }

  // A card line with its label for screen readers: <p><span hidden>Label: </span>text</p>.
  function labelled(className, label, text) {
    var line = element("p", className);
    line.appendChild(hidden(label));
    line.appendChild(document.createTextNode(text));
    return line;
  }

  // The same markup as the card macro in templates/_macros.html; data goes in as text only.
  function card(meta) {
    var item = element("li", "card");
    var logo = element("div", "card-logo");
    if (meta.logo) {
      var image = element("img");
      image.src = meta.logo;
      image.alt = "";
      image.loading = "lazy";
      logo.appendChild(image);
    } else {
      var initials = element("span", "initials", meta.initials || "");
      initials.setAttribute("aria-hidden", "true");
      logo.appendChild(initials);
    }
    item.appendChild(logo);
    var body = element("div", "card-body");
    var title = element("h3", "card-title");
    var link = element("a", "", meta.name || "");
    link.href = meta.href || "#";
    title.appendChild(link);
    body.appendChild(title);
    var level = element("p", "card-level");
    var badge = element("span", "badge level-" + (meta.level || ""));
    badge.appendChild(hidden("Level: "));
    badge.appendChild(document.createTextNode(meta.level_name || ""));
    level.appendChild(badge);
    body.appendChild(level);
    if (meta.notice) {
      body.appendChild(element("p", "card-notice", meta.notice));
    }
    if (meta.meets) {
      body.appendChild(element("p", "card-meets", meta.meets));
    }
    if (meta.summary) {
      body.appendChild(element("p", "card-summary", meta.summary));
    }
    if (meta.place) {
      body.appendChild(labelled("card-line card-place", "Head office: ", meta.place));
    }
    body.appendChild(labelled("card-line", "Countries: ", meta.countries || ""));
    if (meta.services) {
      body.appendChild(labelled("card-line card-services", "Services: ", meta.services));
    }
    if (meta.figures) {
      body.appendChild(element("p", "card-line card-figures", meta.figures));
    }
    // the figure the list is sorted by, unless the card's figures show it already
    var figureLabel = sortSelect.options[sortSelect.selectedIndex].dataset.figure;
    var onCard = (meta.figures || "").split(" · ").some(function (shown) {
      return shown.indexOf(figureLabel + ": ") === 0;
    });
    if (figureLabel && !onCard) {
      var value = meta[sortSelect.value] || "–";
      body.appendChild(element("p", "card-figure", figureLabel + ": " + value));
    }
    item.appendChild(body);
    return item;
  }

  // Pagefind's excerpt as text with its <mark>s: parsed in an inert document, rebuilt from
  // text nodes, so nothing but <mark> can reach the page.
  function excerpt(html) {
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    var line = element("p", "card-excerpt");
    Array.prototype.forEach.call(parsed.body.firstChild.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        line.appendChild(element("mark", "", node.textContent));
      } else {
        line.appendChild(document.createTextNode(node.textContent));
      }
    });
    return line;
  }

  function cardFor(meta) {
    var item = card(meta);
    if (meta.__excerpt) {
      item.querySelector(".card-body").appendChild(excerpt(meta.__excerpt));
    }
    return item;
  }

  function showShown() {
    shownText.textContent =
      results.length > shown
        ? words.shown.replace("{shown}", number(shown)).replace("{total}", number(results.length))
        : "";
  }

  // The cards of the next batch; `fresh` replaces the list (a new search) once they are ready.
  function showMore(mine, fresh, focusFirst) {
    var batch = results.slice(shown, shown + PAGE);
    return Promise.all(
      batch.map(function (result) {
        return result.load();
      })
    ).then(function (metas) {
      if (mine !== serial) {
        return;
      }
      var items = metas.map(cardFor);
      if (fresh) {
        list.replaceChildren.apply(list, items);
      } else {
        items.forEach(function (item) {
          list.appendChild(item);
        });
      }
      shown += batch.length;
      more.hidden = shown >= results.length;
      showShown();
      if (focusFirst && items.length) {
        items[0].querySelector("a").focus();
      }
    });
  }

  function chosen(select) {
    return select.value ? select.options[select.selectedIndex] : null;
  }

  // "2 Gold partners in Germany": the count names the level before "partners" and the other
  // filters and the words after it.
  function countText(count) {
    var before = [];
    var after = [];
    selects.forEach(function (select) {
      var option = chosen(select);
      if (option) {
        (select.dataset.facet === "level" ? before : after).push(option.dataset.phrase);
      }
    });
    var term = input.value.trim();
    if (term) {
      after.push(words.matching.replace("{term}", term));
    }
    // an order other than the first (level, then name) is said too: on a phone its control
    // is folded away with the filters
    if (sortSelect.selectedIndex > 0) {
      after.push(words.sorted.replace("{sort}", sortSelect.options[sortSelect.selectedIndex].text));
    }
    var noun = count === 1 ? words.partner : words.partners;
    return [number(count)].concat(before, [noun]).join(" ") +
      (after.length ? " " + after.join(", ") : "");
  }

  function announce() {
    var count = results.length;
    status.classList.toggle("empty", count === 0);
    var none = input.value.trim() ? words.none : words.none_filters;
    status.textContent = count === 0 ? none : countText(count);
    showWiden(count === 0);
  }

  // The set filters and words as a list of removals, each its own button.
  function removals() {
    var found = [];
    selects.forEach(function (select) {
      var option = chosen(select);
      if (option) {
        found.push({
          text: option.dataset.label,
          label: words.remove.replace("{label}", select.dataset.label).replace("{value}", option.dataset.label),
          remove: function () {
            select.value = "";
          },
        });
      }
    });
    var term = input.value.trim();
    if (term) {
      found.push({
        text: "“" + term + "”",
        label: words.remove_query.replace("{value}", term),
        remove: function () {
          input.value = "";
        },
      });
    }
    return found;
  }

  function removeButton(removal, className, text, focusAfter) {
    var button = element("button", className);
    button.type = "button";
    button.appendChild(document.createTextNode(text));
    button.setAttribute("aria-label", removal.label);
    button.addEventListener("click", function () {
      removal.remove();
      window.clearTimeout(timer);
      writeUrl(null);
      search().then(focusAfter);
    });
    return button;
  }

  // No results: one click on any of the set filters or words widens the search.
  function showWiden(none) {
    widen.replaceChildren();
    var found = none ? removals() : [];
    widen.hidden = found.length === 0;
    if (!found.length) {
      return;
    }
    widen.appendChild(element("p", "widen-lead", words.widen));
    var items = element("ul", "widen-list");
    found.forEach(function (removal) {
      var item = element("li");
      item.appendChild(
        removeButton(removal, "secondary", removal.label, function () {
          (widen.querySelector("button") || input).focus();
        })
      );
      items.appendChild(item);
    });
    widen.appendChild(items);
  }

  // The chips of the active filters (each removes its own), the count on the phone's
  // "Filters (n)" and the Clear button, shown only when there is something to clear.
  function showChosen() {
    chips.replaceChildren();
    var found = removals();
    found.forEach(function (removal) {
      var item = element("li");
      var button = removeButton(removal, "chip", removal.text, function () {
        (chips.querySelector("button") || input).focus();
      });
      var cross = element("span", "chip-x", "×");
      cross.setAttribute("aria-hidden", "true");
      button.appendChild(cross);
      item.appendChild(button);
      chips.appendChild(item);
    });
    var active = Object.keys(activeFilters(null)).length;
    chips.hidden = found.length === 0;
    filterCount.textContent = "(" + number(active) + ")";
    clear.hidden = found.length === 0 && sortSelect.value === "level";
    sortSelect.options[0].textContent = input.value.trim() ? words.best_match : defaultSortLabel;
  }

  function setBusy(busy) {
    loading.hidden = !busy;
    if (busy) {
      root.setAttribute("aria-busy", "true");
    } else {
      root.removeAttribute("aria-busy");
    }
  }

  // The default view's first cards are the pre-rendered ones: no fetch at all.
  function adoptPlainCards() {
    var items = plain.querySelectorAll(".cards > li");
    if (items.length < Math.min(PAGE, total)) {
      return false;
    }
    list.replaceChildren.apply(
      list,
      Array.prototype.slice.call(items, 0, PAGE).map(function (item) {
        return item.cloneNode(true);
      })
    );
    shown = Math.min(PAGE, total);
    return true;
  }

  function run() {
    var mine = ++serial;
    var term = input.value.trim();
    var wanted = restored && restored.shown ? restored.shown : PAGE;
    setBusy(true);
    showChosen();
    return (term ? keyword(term) : browse())
      .then(function (found) {
        if (mine !== serial) {
          return null;
        }
        showCounts(found.counts);
        results = found.results;
        shown = 0;
        if (found.plain && adoptPlainCards()) {
          more.hidden = shown >= results.length;
          showShown();
          return null;
        }
        return showMore(mine, true, false);
      })
      .then(function () {
        // back on an entry whose cards were shown further: show as many again
        var next = function () {
          if (mine !== serial || shown >= wanted || shown >= results.length) {
            return null;
          }
          return showMore(mine, false, false).then(next);
        };
        return next();
      })
      .then(function () {
        if (mine !== serial) {
          return;
        }
        plain.hidden = true;
        list.hidden = false;
        moreRow.hidden = false;
        setBusy(false);
        announce();
        refocus();
        preloadPagefind();
      })
      .catch(function () {
        if (mine === serial) {
          unavailable();
        }
      });
  }

  var search = run;

  // After Back, the card that was opened gets the focus again.
  function refocus() {
    var opened = restored && restored.opened;
    restored = null;
    if (!opened) {
      return;
    }
    // the stored value is matched, never parsed as a selector: no quote or backslash in it
    // can make the query throw
    var link = Array.prototype.find.call(list.querySelectorAll("a[href]"), function (a) {
      return a.getAttribute("href") === opened;
    });
    if (link) {
      link.focus();
    }
  }

  function remember(value) {
    try {
      window.sessionStorage.setItem(OPENED, JSON.stringify(value));
    } catch (error) {
      return; // storage refused (private mode): focus simply stays where the browser puts it
    }
  }

  // What was remembered for this very URL, forgotten once read.
  function recall() {
    try {
      var value = JSON.parse(window.sessionStorage.getItem(OPENED) || "null");
      if (value && value.url === window.location.href) {
        window.sessionStorage.removeItem(OPENED);
        return value;
      }
    } catch (error) {
      return null;
    }
    return null;
  }

  function preloadPagefind() {
    var idle = window.requestIdleCallback || function (callback) {
      return window.setTimeout(callback, 1);
    };
    idle(function () {
      Promise.all([loadPagefind(), loadFacets(), loadPages()])
        .then(function () {
          root.dataset.preloaded = "true"; // for the tests that measure a later search
        })
        .catch(function () {
          return null; // a keyword search will say so
        });
    });
  }

  function unavailable() {
    setBusy(false);
    root.hidden = true;
    plain.hidden = false;
    if (!document.getElementById("search-unavailable")) {
      var note = element("p", "search-status empty", "Search is not available right now; every partner is listed below.");
      note.id = "search-unavailable";
      plain.insertBefore(note, plain.firstChild);
    }
  }

  function start() {
    readUrl();
    root.hidden = false;
    // until the first results: no empty result area above the pre-rendered list
    list.hidden = true;
    moreRow.hidden = true;
    if (window.matchMedia && window.matchMedia("(min-width: 721px)").matches) {
      panel.open = true; // wide screens show the filters in a row; phones keep them folded
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        writeUrl(input);
        search();
      }, TYPING_DELAY);
    });
    input.addEventListener("blur", function () {
      if (settling === input) {
        settling = null;
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      writeUrl(input);
      settling = null;
      search();
    });
    selects.concat([sortSelect]).forEach(function (select) {
      select.addEventListener("change", function () {
        window.clearTimeout(timer);
        writeUrl(select);
        search();
      });
      select.addEventListener("blur", function () {
        if (settling === select) {
          settling = null;
        }
      });
    });
    clear.addEventListener("click", function () {
      window.clearTimeout(timer);
      input.value = "";
      selects.forEach(function (select) {
        select.value = "";
      });
      sortSelect.value = "level";
      writeUrl(null);
      search();
      input.focus();
    });
    more.addEventListener("click", function () {
      showMore(serial, false, true);
    });
    // Remember the card opened and how many were shown, for the way back (sessionStorage,
    // not the history entry: changing that would count as a navigation of its own).
    list.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a") : null;
      if (link) {
        remember({ url: window.location.href, opened: link.getAttribute("href"), shown: shown });
      }
    });
    window.addEventListener("popstate", function () {
      window.clearTimeout(timer);
      settling = null;
      restored = recall();
      readUrl();
      search();
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        restored = recall();
        refocus();
      }
    });
    restored = recall();
    search();
  }

  start();
})();
