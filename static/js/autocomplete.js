/*
 * Suggestions under the course search box, as an ARIA combobox with a listbox popup.
 *
 * Enhances every input[name="q"] of a form[role="search"] that sends to the course search
 * (the search URL and the suggestions URL come from this script tag's data attributes).
 * Without this script the form is a plain GET form and works the same.
 *
 * Keyboard: ArrowDown / ArrowUp move through the suggestions, Enter opens the chosen one
 * (with none chosen Enter submits the form as usual), Escape closes the list and a second
 * Escape clears the box, Tab leaves. Typing asks the server after a short pause; an answer to
 * text that is no longer in the box is dropped. A polite live region says how many came.
 *
 * Other scripts listen to the same box (live search sends on keyup): nothing here stops an
 * event from reaching them, and the box's value only changes when the learner changes it.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !window.fetch || !window.AbortController) {
    return;
  }
  var SUGGESTIONS_URL = script.getAttribute("data-suggestions-url");
  var SEARCH_URL = script.getAttribute("data-search-url");
  var DEBOUNCE_MS = 200;
  var MIN_CHARS = 2;
  var MAX_CHARS = 100;
  var KIND_LABELS = { topic: "Topic", tool: "Tool", institute: "Institute", course: "Course" };
  var counter = 0;

  function sameAddress(a, b) {
    var first = new URL(a, document.baseURI);
    var second = new URL(b, document.baseURI);
    return first.origin === second.origin && first.pathname === second.pathname;
  }

  function isSearchBox(input) {
    if (!input || input.tagName !== "INPUT" || input.name !== "q") {
      return false;
    }
    var form = input.form;
    return !!form && form.getAttribute("role") === "search" &&
      sameAddress(form.getAttribute("action") || document.location.href, SEARCH_URL);
  }

  /* Only a path on this site is followed: the answer is data, never a way elsewhere. */
  function isLocalPath(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" &&
      url.indexOf("\\") === -1;
  }

  function plural(count) {
    if (count === 0) {
      return "No suggestions";
    }
    return count === 1 ? "1 suggestion" : count + " suggestions";
  }

  function Combobox(input) {
    counter += 1;
    this.input = input;
    this.id = "autocomplete-" + counter;
    this.items = [];
    this.active = -1;
    this.timer = null;
    this.controller = null;
    this.asked = "";

    /* The list hangs under the box itself, whatever else the field holds (label, hint). */
    var host = document.createElement("div");
    var hadFocus = document.activeElement === input;
    host.className = "autocomplete";
    input.parentNode.insertBefore(host, input);
    host.appendChild(input);
    if (hadFocus) {
      input.focus();
    }

    this.listbox = document.createElement("ul");
    this.listbox.id = this.id + "-listbox";
    this.listbox.className = "autocomplete-list";
    this.listbox.setAttribute("role", "listbox");
    this.listbox.setAttribute("aria-label", "Suggestions");
    this.listbox.hidden = true;
    host.appendChild(this.listbox);

    this.status = document.createElement("p");
    this.status.className = "visually-hidden";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    host.appendChild(this.status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.listbox.id);
    input.setAttribute("autocomplete", "off");

    input.addEventListener("input", this.onInput.bind(this));
    input.addEventListener("keydown", this.onKeydown.bind(this));
    input.addEventListener("blur", this.close.bind(this));
    /* A press on an option must not take the focus from the box (its blur would close the list). */
    this.listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    this.listbox.addEventListener("click", this.onClick.bind(this));
  }

  Combobox.prototype.typed = function () {
    return this.input.value.trim();
  };

  Combobox.prototype.onInput = function () {
    var self = this;
    window.clearTimeout(this.timer);
    /* What was chosen belonged to other text: Enter submits again until a new choice. */
    this.choose(-1);
    var text = this.typed();
    if (text.length < MIN_CHARS || text.length > MAX_CHARS) {
      this.cancel();
      this.items = [];
      this.close();
      return;
    }
    this.timer = window.setTimeout(function () {
      self.ask(text);
    }, DEBOUNCE_MS);
  };

  Combobox.prototype.cancel = function () {
    window.clearTimeout(this.timer);
    if (this.controller) {
      this.controller.abort();
      this.controller = null;
    }
  };

  Combobox.prototype.ask = function (text) {
    var self = this;
    this.cancel();
    var controller = new AbortController();
    this.controller = controller;
    this.asked = text;
    var url = new URL(SUGGESTIONS_URL, document.baseURI);
    url.searchParams.set("q", text);
    fetch(url.toString(), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: controller.signal
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        /* A late answer, or one for text that has changed since, is not shown. */
        if (controller.signal.aborted || self.typed() !== text || !body) {
          return;
        }
        self.controller = null;
        self.show(Array.isArray(body.suggestions) ? body.suggestions : []);
      })
      .catch(function () {
        /* Aborted or offline: the box keeps working as a plain search box. */
      });
  };

  Combobox.prototype.show = function (suggestions) {
    var self = this;
    this.items = suggestions.filter(function (item) {
      return item && isLocalPath(item.url) && typeof item.label === "string";
    });
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.listbox.textContent = "";
    this.items.forEach(function (item, index) {
      var option = document.createElement("li");
      option.id = self.id + "-option-" + index;
      option.className = "autocomplete-option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(index));
      var label = document.createElement("span");
      label.className = "autocomplete-label";
      label.textContent = item.label;
      var separator = document.createElement("span");
      separator.className = "visually-hidden";
      separator.textContent = ", ";
      var kind = document.createElement("span");
      kind.className = "autocomplete-kind";
      kind.textContent = KIND_LABELS[item.kind] || "";
      option.appendChild(label);
      option.appendChild(separator);
      option.appendChild(kind);
      self.listbox.appendChild(option);
    });
    this.status.textContent = plural(this.items.length);
    if (this.items.length) {
      this.open();
    } else {
      this.close();
    }
  };

  Combobox.prototype.isOpen = function () {
    return !this.listbox.hidden;
  };

  Combobox.prototype.open = function () {
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Combobox.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.choose(-1);
  };

  Combobox.prototype.choose = function (index) {
    var options = this.listbox.children;
    if (this.active >= 0 && options[this.active]) {
      options[this.active].setAttribute("aria-selected", "false");
    }
    this.active = index;
    if (index < 0 || !options[index]) {
      this.input.removeAttribute("aria-activedescendant");
      return;
    }
    options[index].setAttribute("aria-selected", "true");
    this.input.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  };

  Combobox.prototype.move = function (step) {
    if (!this.items.length) {
      return;
    }
    if (!this.isOpen()) {
      this.open();
    }
    var count = this.items.length;
    var next = this.active < 0 ? (step > 0 ? 0 : count - 1) : (this.active + step + count) % count;
    this.choose(next);
  };

  Combobox.prototype.go = function (index) {
    var item = this.items[index];
    if (item) {
      this.cancel();
      /* Closed first, so a page restored by Back shows the box as the learner left it. */
      this.close();
      window.location.assign(item.url);
    }
  };

  Combobox.prototype.onKeydown = function (event) {
    /* Keys that compose a Telugu or Hindi word, or go with a modifier, are not ours. */
    if (event.isComposing || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    switch (event.key) {
      case "ArrowDown":
      case "Down":
        if (this.items.length) {
          event.preventDefault();
          this.move(1);
        }
        break;
      case "ArrowUp":
      case "Up":
        if (this.isOpen()) {
          event.preventDefault();
          this.move(-1);
        }
        break;
      case "Enter":
        /* With no suggestion chosen, Enter submits the form as it always does. */
        if (this.isOpen() && this.active >= 0) {
          event.preventDefault();
          this.go(this.active);
        }
        break;
      case "Escape":
      case "Esc":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        } else if (this.input.value) {
          /* The second Escape clears the box, as a search field's own Escape does. */
          event.preventDefault();
          this.cancel();
          this.input.value = "";
          this.items = [];
          this.input.dispatchEvent(new Event("input", { bubbles: true }));
        }
        break;
      case "Tab":
        this.close();
        break;
      default:
        break;
    }
  };

  Combobox.prototype.onClick = function (event) {
    var option = event.target.closest("[role='option']");
    if (option && this.listbox.contains(option)) {
      this.go(Number(option.getAttribute("data-index")));
    }
  };

  function enhance(input) {
    if (input.hasAttribute("data-autocomplete") || !isSearchBox(input)) {
      return;
    }
    input.setAttribute("data-autocomplete", "on");
    new Combobox(input);
  }

  function enhanceAll() {
    var inputs = document.querySelectorAll('form[role="search"] input[name="q"]');
    Array.prototype.forEach.call(inputs, enhance);
  }

  if (!SUGGESTIONS_URL || !SEARCH_URL) {
    return;
  }
  enhanceAll();
  /* A box that arrives later (a page part swapped in by live search) is enhanced when focused. */
  document.addEventListener("focusin", function (event) {
    enhance(event.target);
  });
})();
