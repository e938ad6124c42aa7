// Dossier's search, in the browser. The index lies beside the search page as classic script
// files (search/meta.js, terms-<shard>.js, docs-N.js), each calling a function of DossierSearch with
// its data; they are loaded with <script> elements, not fetch, so search works from disk
// (file://) as well as over HTTP. A query loads only the shards of its words' first letters and
// the document files of the results it shows.
"use strict";
var DossierSearch = (function () {
  var meta = null;
  var shards = {};
  var documentFiles = {};
  var loading = {};

  // Each data file announces itself through one of these three.
  function receiveMeta(data) { meta = data; }
  function receiveTerms(number, words) { shards[number] = words; }
  function receiveDocs(number, documents) { documentFiles[number] = documents; }

  function load(file) {
    if (!loading[file]) {
      loading[file] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = file;
        script.onload = resolve;
        script.onerror = function () { reject(new Error("cannot load " + file)); };
        document.head.appendChild(script);
      });
    }
    return loading[file];
  }

  // Folds text as the build folded the archive: its table for the characters the archive
  // holds, lower case and no combining marks for the rest.
  function fold(text) {
    var folded = "";
    for (var character of text) {
      var known = meta.folds[character];
      folded += known !== undefined ? known : character.toLowerCase().normalize("NFD").replace(/\p{Mn}/gu, "");
    }
    return folded;
  }

  function words(text) { return fold(text).match(/[\p{L}\p{N}]+/gu) || []; }

  // The shards that may hold words beginning with `prefix`.
  function shardsFor(prefix) {
    return Object.keys(meta.shards).filter(function (key) {
      return prefix.startsWith(key) || key.startsWith(prefix);
    }).map(function (key) { return meta.shards[key]; });
  }

  // Documents matching every query word at the beginning of one of their words, best first.
  function search(query) {
    var queryWords = words(query).filter(function (word) { return word.length >= 2; });
    if (queryWords.length === 0) { return Promise.resolve(null); }
    var needed = [];
    queryWords.forEach(function (word) { needed = needed.concat(shardsFor(word)); });
    return Promise.all(needed.map(function (number) { return load("terms-" + number + ".js"); })).then(function () {
      var total = null;
      queryWords.forEach(function (queryWord) {
        var scores = new Map();
        shardsFor(queryWord).forEach(function (number) {
          var shard = shards[number] || {};
          Object.keys(shard).forEach(function (word) {
            if (!word.startsWith(queryWord)) { return; }
            var postings = shard[word];
            var documentCount = postings.length / 2;
            var rarity = Math.log(1 + meta.documents / documentCount) * (word === queryWord ? 2 : 1);
            for (var i = 0; i < postings.length; i += 2) {
              scores.set(postings[i], (scores.get(postings[i]) || 0) + postings[i + 1] * rarity);
            }
          });
        });
        if (total === null) {
          total = scores;
        } else {
          var both = new Map();
          total.forEach(function (score, document) {
            if (scores.has(document)) { both.set(document, score + scores.get(document)); }
          });
          total = both;
        }
      });
      return Array.from(total.entries()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; })
        .map(function (entry) { return entry[0]; });
    });
  }

  function documentsOf(numbers) {
    var files = Array.from(new Set(numbers.map(function (number) { return Math.floor(number / meta.documentsPerFile); })));
    return Promise.all(files.map(function (file) { return load("docs-" + file + ".js"); })).then(function () {
      return numbers.map(function (number) {
        var entry = documentFiles[Math.floor(number / meta.documentsPerFile)][number % meta.documentsPerFile];
        return { kind: entry[0], title: entry[1], path: entry[2], date: entry[3], text: entry[4] };
      });
    });
  }

  // A stretch of `text` around the first word that begins with a query word, that word marked.
  function snippet(text, queryWords) {
    var pattern = /[\p{L}\p{N}\p{M}]+/gu;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      var found = words(match[0]).some(function (word) {
        return queryWords.some(function (queryWord) { return word.startsWith(queryWord); });
      });
      if (found) {
        var start = Math.max(0, match.index - 80);
        var end = Math.min(text.length, match.index + match[0].length + 120);
        // Whole words only at both ends.
        if (start > 0) { start = Math.min(match.index, text.indexOf(" ", start) + 1 || match.index); }
        if (end < text.length) { end = Math.max(match.index + match[0].length, text.lastIndexOf(" ", end)); }
        return { before: (start > 0 ? "…" : "") + text.slice(start, match.index), match: match[0],
                 after: text.slice(match.index + match[0].length, end) + (end < text.length ? "…" : "") };
      }
    }
    return { before: text.slice(0, 200) + (text.length > 200 ? "…" : ""), match: "", after: "" };
  }

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function start() {
    var page = document.getElementById("search");
    var input = document.getElementById("search-query");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    if (!page || !input || !meta) { return; }
    var kinds = page.dataset.kinds.split("|");
    var pageSize = 20;
    var latest = 0;
    var timer = null;

    function show(query, ranked, shown) {
      var queryWords = words(query).filter(function (word) { return word.length >= 2; });
      return documentsOf(ranked.slice(0, shown)).then(function (documents) {
        list.textContent = "";
        documents.forEach(function (doc) {
          var item = element("li", "search-result");
          var kind = element("span", "search-kind search-kind-" + doc.kind, kinds[doc.kind]);
          var link = element("a", "item-title", doc.title);
          link.href = page.dataset.root + doc.path;
          item.appendChild(kind);
          item.appendChild(link);
          if (doc.date) { item.appendChild(element("span", "meta search-date", doc.date)); }
          var excerpt = snippet(doc.text, queryWords);
          var paragraph = element("p", "search-snippet");
          paragraph.appendChild(document.createTextNode(excerpt.before));
          if (excerpt.match) { paragraph.appendChild(element("mark", null, excerpt.match)); }
          paragraph.appendChild(document.createTextNode(excerpt.after));
          item.appendChild(paragraph);
          list.appendChild(item);
        });
        if (ranked.length > shown) {
          var more = element("li", "search-more");
          var button = element("button", null, page.dataset.more);
          button.type = "button";
          button.addEventListener("click", function () { show(query, ranked, shown + pageSize); });
          more.appendChild(button);
          list.appendChild(more);
        }
      });
    }

    function run() {
      var query = input.value;
      var ticket = ++latest;
      try { history.replaceState(null, "", "?q=" + encodeURIComponent(query)); } catch (error) { /* file:// may refuse */ }
      search(query).then(function (ranked) {
        if (ticket !== latest) { return; }
        if (ranked === null) {
          list.textContent = "";
          status.textContent = page.dataset.short;
          return null;
        }
        status.textContent = ranked.length === 0 ? page.dataset.none
          : ranked.length === 1 ? page.dataset.one : page.dataset.other.replace("{count}", String(ranked.length));
        return show(query, ranked, pageSize);
      }).then(function () {
        // What the list shows now, for scripts that drive the page.
        if (ticket === latest) { list.dataset.query = query; }
      }).catch(function (error) { status.textContent = String(error.message); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 80);
    });
    page.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      run();
    });
    var initial = new URLSearchParams(location.search).get("q");
    if (initial) {
      input.value = initial;
      run();
    }
    input.focus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    setTimeout(start, 0);
  }
  return { meta: receiveMeta, terms: receiveTerms, docs: receiveDocs };
})();
