// Offline study. The page downloads a study pack (GET /api/v1/study-pack) into IndexedDB,
// asks its cards without the server, keeps every answer in IndexedDB before showing the
// result, and sends the answers with POST /api/v1/sync when the network returns, when the
// page opens, after each answer while online, and on "Sync now". Each answer has a UUID made
// here, so sending it twice (a reply lost on the way back) counts it once.
//
// The page is served to a signed-in learner, so it syncs with the session cookie and the
// session's CSRF token (from GET /api/v1/session) in the X-CSRF-Token header. Everything
// stored is tagged with the username, so two learners sharing a browser never send each
// other's answers.
(function () {
  "use strict";
  var root = document.getElementById("offline");
  if (!root) return;
  var deck = root.getAttribute("data-deck");
  var user = root.getAttribute("data-user");
  var $ = function (id) { return document.getElementById(id); };
  var BATCH = 1000;

  // IndexedDB: "meta" (device id, packs by user and deck), "pending" (answers not yet
  // acknowledged by the server), "log" (what each sync did, for the "Synced" list).
  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open("chronicle-offline", 1);
      req.onupgradeneeded = function () {
        var db = req.result;
        db.createObjectStore("meta", { keyPath: "key" });
        db.createObjectStore("pending", { keyPath: "id" }).createIndex("user", "user");
        db.createObjectStore("log", { keyPath: "seq", autoIncrement: true }).createIndex("user", "user");
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  var dbPromise = openDb();

  // Runs `work` in one transaction over `stores`; resolves once it has committed.
  function tx(stores, mode, work) {
    return dbPromise.then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(stores, mode);
        var result;
        t.oncomplete = function () { resolve(result); };
        t.onerror = t.onabort = function () { reject(t.error); };
        var s = {};
        stores.forEach(function (name) { s[name] = t.objectStore(name); });
        result = work(s);
      });
    });
  }
  function request(r) {
    return new Promise(function (resolve, reject) {
      r.onsuccess = function () { resolve(r.result); };
      r.onerror = function () { reject(r.error); };
    });
  }
  function get(store, key) {
    return dbPromise.then(function (db) {
      return request(db.transaction([store]).objectStore(store).get(key));
    });
  }
  function allFor(store, username) {
    return dbPromise.then(function (db) {
      return request(db.transaction([store]).objectStore(store).index("user").getAll(username));
    });
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function deviceId() {
    return get("meta", "device").then(function (found) {
      if (found) return found.value;
      var id = "browser-" + uuid().slice(0, 8);
      return tx(["meta"], "readwrite", function (s) { s.meta.put({ key: "device", value: id }); })
        .then(function () { return id; });
    });
  }

  var packKey = "pack:" + user + ":" + deck;
  // queue: the cards of this round, in order; again: the cards missed in it, asked in the next
  // round. So "cards left" counts down by one with every answer, right or wrong.
  var pack = null;      // { cards, queue: [card ids], again: [card ids], round, fetched_at }
  var current = null;   // the card on screen
  var shownAt = 0;

  function setText(id, text) { $(id).textContent = text; }

  function showConnection() {
    setText("connection", navigator.onLine ? "Online." : "Offline: answers are kept in this browser.");
  }

  function showPending() {
    return allFor("pending", user).then(function (list) {
      setText("pending", list.length === 0 ? "Every answer is synced." :
        list.length + (list.length === 1 ? " answer" : " answers") + " waiting to be synced.");
      root.setAttribute("data-pending", String(list.length));
      return list;
    });
  }

  function answers(n) { return n + (n === 1 ? " answer" : " answers"); }

  // What one sync did, in the learner's words. The server counts an answer it already had
  // (sent earlier by a sync whose reply was lost, or by another tab) as a duplicate: it is
  // saved all the same, so it reads "already saved earlier", never as a failure.
  function syncWords(e) {
    var parts = [];
    if (e.accepted > 0) parts.push(answers(e.accepted) + " saved");
    if (e.duplicates > 0) {
      parts.push(e.accepted > 0 ? e.duplicates + " already saved earlier"
        : answers(e.duplicates) + " already saved earlier");
    }
    if (parts.length === 0 && !e.rejected.length) parts.push("nothing new to save");
    return parts.join(", ");
  }

  function showLog() {
    return allFor("log", user).then(function (entries) {
      var list = $("synced");
      if (entries.length === 0) return;
      list.textContent = "";
      entries.slice(-10).reverse().forEach(function (e) {
        var li = document.createElement("li");
        li.className = "sync-entry";
        var text = new Date(e.at).toLocaleString() + ": " + syncWords(e);
        if (e.rejected.length) {
          text += (text.slice(-2) === ": " ? "" : ", ") + e.rejected.length + " refused (" +
            e.rejected.map(function (r) { return r.message; }).join("; ") + ")";
        }
        li.textContent = text + ".";
        list.appendChild(li);
      });
    });
  }

  function byId(id) {
    for (var i = 0; i < pack.cards.length; i++) if (pack.cards[i].card_id === id) return pack.cards[i];
    return null;
  }

  // "18 cards left in this pack · 2 to try again", or in a later round "2 missed cards left".
  function showLeft() {
    if (!pack) { setText("left", ""); return; }
    var left = pack.queue.length, again = (pack.again || []).length;
    var text = pack.round > 0
      ? left + (left === 1 ? " missed card" : " missed cards") + " left to try again"
      : left + (left === 1 ? " card" : " cards") + " left in this pack";
    if (again > 0) text += " · " + again + " to try again after";
    setText("left", left + again === 0 ? "" : text);
    root.setAttribute("data-left", String(left));
  }

  // Brings an element wholly into view when it is not (a long result leaves the page
  // scrolled): back to the top of the page, as a new study page opens, when that shows it;
  // else its top a little below the top of the window.
  function inView(el) {
    var r = el.getBoundingClientRect();
    if (r.top >= 0 && r.bottom <= window.innerHeight) return;
    var bottom = r.bottom + window.scrollY;
    window.scrollTo(0, bottom <= window.innerHeight ? 0 : Math.max(0, Math.floor(r.top + window.scrollY) - 8));
  }

  // `moveFocus`: after an answer, the focus goes to the new question (a screen reader reads
  // it, Tab reaches its choices), as when the study page loads the next card.
  function showNext(moveFocus) {
    $("result").hidden = true;
    if (!pack) { $("card").hidden = true; showLeft(); return; }
    pack.again = pack.again || [];
    pack.round = pack.round || 0;
    if (pack.queue.length === 0 && pack.again.length > 0) {
      pack.queue = pack.again;
      pack.again = [];
      pack.round += 1;
    }
    var left = pack.queue.length;
    setText("pack-status", pack.cards.length + " cards ready (downloaded " +
      new Date(pack.fetched_at).toLocaleString() + ").");
    showLeft();
    if (left === 0) { $("card").hidden = true; $("done").hidden = false; current = null; return; }
    $("done").hidden = true;
    current = byId(pack.queue[0]);
    shownAt = Date.now();
    setText("prompt", current.question.prompt);
    $("card").setAttribute("data-card", current.card_id);
    var choices = $("choices");
    choices.textContent = "";
    var flash = current.presentation === "flashcard";
    var items = current.question.items || [];
    $("flashcard").hidden = !flash;
    $("flashcard").open = false;
    $("order").hidden = flash || items.length === 0;
    $("order-error").hidden = true;
    $("order-items").textContent = "";
    if (flash) {
      setText("back", current.question.answer);
    } else if (items.length) {
      // A chronology: a position picker per event, as on the study page.
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        var label = document.createElement("label");
        label.htmlFor = "offline-order-" + i;
        label.textContent = item.title;
        var select = document.createElement("select");
        select.id = "offline-order-" + i;
        select.required = true;
        select.setAttribute("aria-describedby", "order-error");
        var blank = document.createElement("option");
        blank.value = "";
        blank.textContent = "Position…";
        select.appendChild(blank);
        for (var p = 1; p <= items.length; p++) {
          var o = document.createElement("option");
          o.value = String(p);
          o.textContent = p + (p === 1 ? " (earliest)" : p === items.length ? " (latest)" : "");
          select.appendChild(o);
        }
        li.appendChild(label);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(select);
        $("order-items").appendChild(li);
      });
    } else {
      current.question.choices.forEach(function (choice, i) {
        var li = document.createElement("li");
        var b = document.createElement("button");
        b.type = "button";
        b.setAttribute("data-choice", String(i));
        b.setAttribute("data-key", String(i + 1));
        b.textContent = (i + 1) + ". " + choice;
        li.appendChild(b);
        choices.appendChild(li);
      });
    }
    $("card").hidden = false;
    if (moveFocus === true) $("prompt").focus({ preventScroll: true });
    inView($("card").offsetHeight > window.innerHeight ? $("prompt") : $("card"));
    keepNoticeInView();
  }

  // Opened in place of a page that needs the network, the notice saying so stays in view
  // above the question whenever it, the prompt and the first control fit in the window (on a
  // phone the whole card may not, and bringing the card into view had scrolled it away).
  function keepNoticeInView() {
    var note = $("elsewhere");
    if (note.hidden) return;
    var first = $("card").querySelector("#choices button, #order select, #flashcard:not([hidden]) summary") || $("prompt");
    var top = note.getBoundingClientRect().top + window.scrollY;
    var end = first.getBoundingClientRect().bottom + window.scrollY;
    if (end - top + 16 <= window.innerHeight) window.scrollTo(0, Math.max(0, Math.floor(top) - 8));
  }

  // The events beside the answer, as on the result page: title, date and place, summary,
  // and where the sources disagree.
  function eventNotes(card) {
    var box = $("event-notes");
    box.textContent = "";
    (card.events || []).forEach(function (ev) {
      var article = document.createElement("article");
      article.className = "event-note";
      var h = document.createElement("h3");
      h.textContent = ev.title;
      var when = document.createElement("p");
      when.className = "when";
      when.textContent = ev.date + (ev.place ? " · " + ev.place : "");
      var summary = document.createElement("p");
      summary.className = "summary";
      summary.textContent = ev.summary;
      article.appendChild(h);
      article.appendChild(when);
      article.appendChild(summary);
      (ev.disputes || []).forEach(function (d) {
        var aside = document.createElement("aside");
        aside.className = "dispute";
        var p = document.createElement("p");
        var strong = document.createElement("strong");
        strong.textContent = "The sources disagree:";
        p.appendChild(strong);
        p.appendChild(document.createTextNode(" " + d.note));
        var ul = document.createElement("ul");
        d.sources.forEach(function (src) {
          var li = document.createElement("li");
          li.textContent = "“" + src.quote + "” ";
          var doc = document.createElement("span");
          doc.className = "doc";
          doc.textContent = "(" + src.title + ")";
          li.appendChild(doc);
          ul.appendChild(li);
        });
        aside.appendChild(p);
        aside.appendChild(ul);
        article.appendChild(aside);
      });
      box.appendChild(article);
    });
  }

  // Keeps the answer (and the shortened queue) in one transaction, then shows the result.
  // `selfGraded`: a flashcard the learner graded, whose "Again" is their word, not a verdict.
  function answer(rating, given, correct, selfGraded) {
    var card = current;
    if (!card) return;
    current = null;
    var review = {
      id: uuid(), user: user, card_id: card.card_id, rating: rating,
      answered_at: Date.now(), duration_ms: Math.min(Date.now() - shownAt, 3600000),
      given_answer: given.slice(0, 200)
    };
    pack.queue.shift();
    // A card answered wrong comes back after this round, as on the study page.
    if (!correct) pack.again.push(card.card_id);
    tx(["pending", "meta"], "readwrite", function (s) {
      s.pending.put(review);
      s.meta.put({ key: packKey, value: pack });
    }).then(function () {
      $("card").hidden = true;
      $("result").hidden = false;
      showLeft();
      var verdict = $("verdict");
      verdict.className = "verdict " + (correct ? "correct" : "wrong");
      verdict.textContent = "";
      var mark = document.createElement("span");
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = correct ? "✓" : "✗";
      verdict.appendChild(mark);
      verdict.appendChild(document.createTextNode(" " + (correct ? "Right" : selfGraded ? "Again" : "Not quite")));
      var items = card.question.items || [];
      setText("prompt-echo", items.length ? card.question.prompt + " " +
        items.map(function (i) { return i.title; }).join(" · ") : card.question.prompt);
      setText("given", given);
      var right = $("right-answer");
      right.textContent = "";
      if (card.question.items && card.question.items.length) {
        // The right order, earliest first, with each event's date.
        var ol = document.createElement("ol");
        ol.className = "right-order";
        card.question.items.slice().sort(function (a, b) { return a.position - b.position; })
          .forEach(function (item) {
            var li = document.createElement("li");
            li.textContent = item.title + " (" + item.when + ")";
            ol.appendChild(li);
          });
        right.appendChild(ol);
      } else {
        right.textContent = card.question.answer;
      }
      eventNotes(card);
      var list = $("source-list");
      list.textContent = "";
      (card.sources || []).forEach(function (src) {
        var q = document.createElement("blockquote");
        var p = document.createElement("p");
        p.textContent = "“" + src.quote + "”";
        var f = document.createElement("footer");
        f.textContent = src.title;
        q.appendChild(p);
        q.appendChild(f);
        list.appendChild(q);
      });
      $("offline-sources").hidden = !(card.sources && card.sources.length);
      // The verdict and the right answer in view, the focus on "Next" so Enter goes on.
      $("offline-next").focus({ preventScroll: true });
      inView($("verdict-box"));
      return showPending();
    }).then(function () {
      if (navigator.onLine) sync(false);
    });
  }

  $("choices").addEventListener("click", function (e) {
    var b = e.target.closest("button[data-choice]");
    if (!b || !current) return;
    var i = Number(b.getAttribute("data-choice"));
    var right = i === current.question.answer_index;
    answer(right ? 3 : 1, current.question.choices[i], right);
  });
  $("order").addEventListener("submit", function (e) {
    e.preventDefault();
    if (!current) return;
    var items = current.question.items;
    var chosen = items.map(function (_, i) { return Number($("offline-order-" + i).value); });
    var seen = {};
    var problem = "";
    chosen.forEach(function (p) {
      if (!(p >= 1 && p <= items.length)) problem = problem || "Give every event a position from 1 to " + items.length + ".";
      else if (seen[p]) problem = problem || "Two events are both in position " + p + ": give each its own position.";
      seen[p] = true;
    });
    if (problem) {
      setText("order-error", problem);
      $("order-error").hidden = false;
      return;
    }
    var right = items.every(function (item, i) { return item.position === chosen[i]; });
    var given = items.map(function (item, i) { return { p: chosen[i], t: item.title }; })
      .sort(function (a, b) { return a.p - b.p; }).map(function (x) { return x.t; }).join(" → ");
    answer(right ? 3 : 1, given, right);
  });
  $("flashcard").addEventListener("click", function (e) {
    var b = e.target.closest("button[data-grade]");
    if (!b || !current) return;
    var grade = Number(b.getAttribute("data-grade"));
    answer(grade, ["Again", "Hard", "Good", "Easy"][grade - 1] + " (self-graded)", grade > 1, true);
  });
  $("offline-next").addEventListener("click", function () { showNext(true); });

  // Enter and Space already activate a focused link, button or summary; the shortcuts must
  // not take them away from a keyboard user who tabbed there.
  function activates(target) {
    return target && target.closest && target.closest("a[href], button, summary, select") !== null;
  }
  // The study page's keys (app.js leaves this page alone): 1-4 choose or grade, Space flips
  // a flashcard, Enter goes on.
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "Enter" && !$("result").hidden && !activates(e.target)) {
      e.preventDefault();
      showNext(true);
      return;
    }
    if ($("card").hidden || !current) return;
    var flash = $("flashcard");
    if (e.key === " " && !flash.hidden && !activates(e.target)) {
      e.preventDefault();
      flash.open = !flash.open;
      return;
    }
    if (!/^[1-4]$/.test(e.key)) return;
    var b = flash.hidden ? $("choices").querySelector('button[data-key="' + e.key + '"]')
      : flash.open ? flash.querySelector('button[data-grade="' + e.key + '"]') : null;
    if (b) { e.preventDefault(); b.click(); }
  });

  var syncing = null;
  // Sends this learner's waiting answers in batches; `manual` also reports "nothing to send".
  function sync(manual) {
    if (syncing) return syncing;
    syncing = doSync(manual).finally(function () { syncing = null; });
    return syncing;
  }

  function doSync(manual) {
    var csrf;
    return fetch("/api/v1/session", { credentials: "same-origin" }).then(function (r) {
      if (r.status === 401) throw new Error("Sign in again to sync; your answers stay in this browser.");
      if (!r.ok) throw new Error("The server did not answer (" + r.status + ").");
      return r.json();
    }).then(function (session) {
      if (session.username !== user) throw new Error("Signed in as someone else; sign in as " + user + " to sync.");
      csrf = session.csrf_token;
      return Promise.all([showPending(), deviceId()]);
    }).then(function (found) {
      var pending = found[0], device = found[1];
      if (pending.length === 0) {
        if (manual) setText("connection", "Nothing to sync: every answer is on the server.");
        return;
      }
      var chain = Promise.resolve();
      for (var i = 0; i < pending.length; i += BATCH) {
        (function (chunk) { chain = chain.then(function () { return send(chunk, device, csrf); }); })(pending.slice(i, i + BATCH));
      }
      return chain.then(function () { retries = 0; setText("connection", "Synced."); });
    }).catch(function (err) {
      var offline = err instanceof TypeError;
      setText("connection", offline ? "Offline: answers are kept in this browser and sent when the network returns." : err.message);
      // The "online" event can come before requests get through, and a browser that believes
      // it is online (a captive Wi-Fi, the server down) sends no "online" event when the
      // server comes back: while answers wait, try again, 1 s, 2 s ... then every 15 s.
      var waiting = Number(root.getAttribute("data-pending") || "0") > 0;
      if (offline && waiting && navigator.onLine && !retryTimer) {
        retries += 1;
        retryTimer = setTimeout(function () { retryTimer = null; sync(false); },
          1000 * Math.min(retries, RETRY_MAX_S));
      }
    }).then(showPending).then(showLog);
  }
  var retries = 0, retryTimer = null, RETRY_MAX_S = 15;

  function send(chunk, device, csrf) {
    var reviews = chunk.map(function (r) {
      return { id: r.id, card_id: r.card_id, rating: r.rating, answered_at: r.answered_at,
               duration_ms: r.duration_ms, given_answer: r.given_answer };
    });
    return fetch("/api/v1/sync", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ device_id: device, reviews: reviews })
    }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error("Sync refused: " + (body.error ? body.error.message : r.status));
        return body;
      });
    }).then(function (out) {
      // Stored, already there or refused for good: none of them is sent again.
      return tx(["pending", "log"], "readwrite", function (s) {
        chunk.forEach(function (r) { s.pending.delete(r.id); });
        s.log.add({ user: user, at: Date.now(), accepted: out.accepted, duplicates: out.duplicates, rejected: out.rejected });
      });
    });
  }

  // Replaces the pack, unless answers are still waiting: a new pack would ask those cards again.
  function download() {
    return showPending().then(function (pending) {
      if (pending.length > 0) {
        setText("pack-status", "Sync your waiting answers before downloading a new pack.");
        return;
      }
      setText("pack-status", "Downloading…");
      return fetch("/api/v1/study-pack?deck=" + encodeURIComponent(deck), { credentials: "same-origin" })
        .then(function (r) {
          if (!r.ok) throw new Error("The study pack could not be downloaded (" + r.status + ").");
          return r.json();
        }).then(function (p) {
          pack = { cards: p.cards, queue: p.cards.map(function (c) { return c.card_id; }), again: [], round: 0, fetched_at: Date.now() };
          return tx(["meta"], "readwrite", function (s) { s.meta.put({ key: packKey, value: pack }); });
        }).then(showNext);
    }).catch(function (err) {
      setText("pack-status", err instanceof TypeError ? "Offline: using the pack already in this browser." : err.message);
      showNext();
    });
  }

  $("download").addEventListener("click", function () { download(); });
  $("sync").addEventListener("click", function () { sync(true); });
  window.addEventListener("online", function () { retries = 0; showConnection(); sync(false); });
  window.addEventListener("offline", showConnection);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      root.setAttribute("data-sw", "ready");
    }).catch(function () {
      root.setAttribute("data-sw", "unavailable");
    });
  } else {
    root.setAttribute("data-sw", "unavailable");
  }

  showConnection();
  // Opened by the service worker in place of another page (the dashboard, Missed ...) that
  // needs the network: say so, and offer what works offline.
  var ELSEWHERE = { "/": "The dashboard", "/missed": "The Missed page", "/stats": "The statistics page",
                    "/browse": "The Browse page", "/timeline": "The timeline" };
  if (location.pathname !== "/study/offline") {
    var elsewhere = $("elsewhere");
    var name = ELSEWHERE[location.pathname] || "The online study page";
    elsewhere.textContent = "You are offline. " + name + " needs the network, so it is not shown; " +
      "meanwhile you can study the cards saved in this browser below, and your answers are sent when the network returns.";
    elsewhere.hidden = false;
    root.setAttribute("data-elsewhere", location.pathname);
    document.title = "Offline · " + document.title;
  }
  get("meta", packKey).then(function (saved) {
    if (saved) pack = saved.value;
    showNext();
    return Promise.all([showPending(), showLog()]);
  }).then(function () {
    if (!navigator.onLine) return;
    // Online: send what waits, then fetch a fresh pack (download keeps the old one if
    // anything is still waiting).
    return sync(false).then(download);
  });
})();
