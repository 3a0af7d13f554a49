// partnerdir search: the site's only script. Drives Pagefind's JS API (served from this site)
// with the form on the home page; the filter state lives in the URL so a view can be shared,
// bookmarked and restored with the back button. Without this script the home page lists
// every partner as plain, paged HTML.
(function () {
  "use strict";

  var root = document.getElementById("search");
  if (!root || !window.fetch || !window.history || !window.URLSearchParams) {
    return;
  }
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var sortSelect = document.getElementById("search-sort");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var clear = document.getElementById("search-clear");
  var plain = document.getElementById("all-partners");
  var panel = document.getElementById("filter-panel");
  var filterCount = document.getElementById("filter-count");
  var chips = document.getElementById("search-chips");
  var words = JSON.parse(root.dataset.words || "{}");

  var PAGE = 30; // result cards loaded at a time: each needs a small fetch
  var TYPING_DELAY = 200;
  var pagefind = null;
  var results = [];
  var shown = 0;
  var serial = 0; // the newest search; an older one that finishes later is dropped
  var typing = false; // the current history entry was made by typing: replace, do not push
  var timer = 0;
  var search = function () {
    return Promise.resolve();
  };

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

  function writeUrl(push) {
    var url = urlFor();
    if (url === window.location.pathname + window.location.search) {
      return;
    }
    if (push) {
      window.history.pushState(null, "", url);
    } else {
      window.history.replaceState(null, "", url);
    }
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

  // Counts for one facet: the results each of its values would give with the other facets
  // and the words kept. Pagefind's result `filters` give exactly that for a facet without a
  // chosen value; a facet with one needs a search without it.
  function facetCounts(term, select, search, totals) {
    var facet = select.dataset.facet;
    if (!select.value) {
      return Promise.resolve((search.filters || {})[facet] || {});
    }
    var others = activeFilters(facet);
    if (term === null && isEmpty(others)) {
      return Promise.resolve(totals[facet] || {});
    }
    return pagefind.search(term, { filters: others }).then(function (other) {
      return (other && other.filters ? other.filters[facet] : null) || {};
    });
  }

  function showCounts(counts) {
    selects.forEach(function (select) {
      var facetCounts = counts[select.dataset.facet] || {};
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) {
          return;
        }
        var count = facetCounts[option.value] || 0;
        option.textContent = option.dataset.label + " (" + count + ")";
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
    var figureLabel = sortSelect.options[sortSelect.selectedIndex].dataset.figure;
    if (figureLabel) {
      var value = meta[sortSelect.value] || "–";
      body.appendChild(element("p", "card-figure", figureLabel + ": " + value));
    }
    item.appendChild(body);
    return item;
  }

  function showMore(mine, focusFirst) {
    var batch = results.slice(shown, shown + PAGE);
    return Promise.all(
      batch.map(function (result) {
        return result.data();
      })
    ).then(function (pages) {
      if (mine !== serial) {
        return;
      }
      var first = null;
      pages.forEach(function (page) {
        var item = card(page.meta || {});
        first = first || item;
        list.appendChild(item);
      });
      shown += batch.length;
      more.hidden = shown >= results.length;
      if (focusFirst && first) {
        first.querySelector("a").focus();
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
    var noun = count === 1 ? words.partner : words.partners;
    return [count.toLocaleString("en-GB")].concat(before, [noun]).join(" ") +
      (after.length ? " " + after.join(", ") : "");
  }

  function announce() {
    var count = results.length;
    status.classList.toggle("empty", count === 0);
    status.textContent = count === 0 ? words.none : countText(count);
  }

  // The chips of the active filters (each removes its own), the count on the phone's
  // "Filters (n)" and the Clear button, shown only when there is something to clear.
  function showChosen() {
    chips.replaceChildren();
    var active = 0;
    var chip = function (text, label, remove) {
      var item = element("li");
      var button = element("button", "chip");
      button.type = "button";
      button.appendChild(document.createTextNode(text));
      var cross = element("span", "chip-x", "×");
      cross.setAttribute("aria-hidden", "true");
      button.appendChild(cross);
      button.setAttribute("aria-label", label);
      button.addEventListener("click", function () {
        remove();
        typing = false;
        writeUrl(true);
        search().then(function () {
          (chips.querySelector("button") || input).focus();
        });
      });
      item.appendChild(button);
      chips.appendChild(item);
    };
    selects.forEach(function (select) {
      var option = chosen(select);
      if (!option) {
        return;
      }
      active += 1;
      chip(
        option.dataset.label,
        words.remove.replace("{label}", select.dataset.label).replace("{value}", option.dataset.label),
        function () {
          select.value = "";
        }
      );
    });
    var term = input.value.trim();
    if (term) {
      chip("“" + term + "”", words.remove_query.replace("{value}", term), function () {
        input.value = "";
      });
    }
    chips.hidden = chips.childElementCount === 0;
    filterCount.textContent = "(" + active + ")";
    clear.hidden = !term && active === 0 && sortSelect.value === "level";
  }

  function run(totals) {
    var mine = ++serial;
    var term = input.value.trim() || null;
    var sort = {};
    sort[sortSelect.value] = "asc";
    return pagefind
      .search(term, { filters: activeFilters(null), sort: sort })
      .then(function (search) {
        if (mine !== serial) {
          return null;
        }
        search = search || { results: [], filters: {} };
        return Promise.all(
          selects.map(function (select) {
            return facetCounts(term, select, search, totals);
          })
        ).then(function (perFacet) {
          if (mine !== serial) {
            return null;
          }
          var counts = {};
          selects.forEach(function (select, index) {
            counts[select.dataset.facet] = perFacet[index];
          });
          showCounts(counts);
          results = search.results || [];
          shown = 0;
          list.replaceChildren();
          more.hidden = true;
          showChosen();
          return showMore(mine, false).then(announce);
        });
      });
  }

  function start(module) {
    pagefind = module;
    var ready = pagefind.options ? pagefind.options({ baseUrl: root.dataset.base }) : null;
    return Promise.resolve(ready)
      .then(function () {
        return pagefind.filters();
      })
      .then(function (totals) {
        totals = totals || {};
        root.hidden = false;
        plain.hidden = true;
        readUrl();

        search = function () {
          return run(totals);
        };
        if (window.matchMedia && window.matchMedia("(min-width: 721px)").matches) {
          panel.open = true; // wide screens show the filters in a row; phones keep them folded
        }

        input.addEventListener("input", function () {
          window.clearTimeout(timer);
          timer = window.setTimeout(function () {
            writeUrl(!typing);
            typing = true;
            search();
          }, TYPING_DELAY);
        });
        form.addEventListener("submit", function (event) {
          event.preventDefault();
          window.clearTimeout(timer);
          writeUrl(!typing);
          typing = false;
          search();
        });
        selects.concat([sortSelect]).forEach(function (select) {
          select.addEventListener("change", function () {
            window.clearTimeout(timer);
            typing = false;
            writeUrl(true);
            search();
          });
        });
        clear.addEventListener("click", function () {
          window.clearTimeout(timer);
          input.value = "";
          selects.forEach(function (select) {
            select.value = "";
          });
          sortSelect.value = "level";
          typing = false;
          writeUrl(true);
          search();
          input.focus();
        });
        more.addEventListener("click", function () {
          showMore(serial, true);
        });
        window.addEventListener("popstate", function () {
          window.clearTimeout(timer);
          typing = false;
          readUrl();
          search();
        });
        return search();
      });
  }

  import(root.dataset.pagefind)
    .then(start)
    .catch(function () {
      // no search index (or an old browser): the plain list stays, and says so
      root.hidden = true;
      plain.hidden = false;
      var note = element("p", "search-status empty", "Search is not available right now; every partner is listed below.");
      plain.insertBefore(note, plain.firstChild);
    });
})();
