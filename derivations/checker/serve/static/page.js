// The page's behaviour: a live preview of how each answer is read (debounced), and the
// check with its verdict. No library, no network beyond this server; every text from the
// server is set as text (never as HTML), and MathML is inserted only after it has been
// parsed as XML and every element and attribute checked against an allowlist.
"use strict";

(() => {
  const DEBOUNCE_MS = 250;
  const MATHML_NS = "http://www.w3.org/1998/Math/MathML";
  const ELEMENTS = new Set([
    "math", "mrow", "mi", "mn", "mo", "mtext", "ms", "mspace", "msup", "msub", "msubsup",
    "mfrac", "msqrt", "mroot", "mtable", "mtr", "mtd", "munder", "mover", "munderover",
    "mstyle", "mpadded", "mphantom",
  ]);
  const ATTRIBUTES = new Set([
    "mathvariant", "stretchy", "fence", "separator", "form", "lspace", "rspace",
    "linethickness", "columnalign", "displaystyle", "scriptlevel", "accent", "accentunder",
    "largeop", "movablelimits", "symmetric", "display", "xmlns",
  ]);

  // What each verdict means, in words (the symbol is a second signal beside the colour).
  const VERDICTS = {
    "PROVED": ["✓", "right: proved equal to the expected answer."],
    "NUMERICALLY EQUAL": ["✓", "right: equal to the expected answer at random points, a proof up to the small chance of error the details state."],
    "REFUTED": ["✗", "wrong: your answer differs from the expected one."],
    "CANNOT CHECK": ["?", "not checked:"],
  };

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function mathNode(markup) {
    if (typeof markup !== "string" || !markup) return null;
    const doc = new DOMParser().parseFromString(markup, "application/xml");
    const root = doc.documentElement;
    if (doc.getElementsByTagName("parsererror").length || root.namespaceURI !== MATHML_NS
        || root.localName !== "math") return null;
    for (const node of [root, ...root.getElementsByTagName("*")]) {
      if (node.namespaceURI !== MATHML_NS || !ELEMENTS.has(node.localName)) return null;
      for (const attribute of node.attributes) {
        if (!ATTRIBUTES.has(attribute.name)) return null;
      }
    }
    return document.importNode(root, true);
  }

  async function post(path, body, signal) {
    const response = await fetch(path, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify(body),
      signal,
    });
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    return {status: response.status, data, retryAfter: response.headers.get("Retry-After")};
  }

  function refusal(reply) {
    // A request that got no verdict: what to tell the student.
    const message = reply.data && reply.data.error ? reply.data.error : "";
    if (reply.status === 503) {
      return `The server is busy, so nothing was checked: try again in ${reply.retryAfter || "a few"} s.`;
    }
    if (reply.status === 413) return `Your answer was refused: ${message || "it is too long"}.`;
    if (message) return `Your answer was refused: ${message}.`;
    return `The server answered with status ${reply.status}; nothing was checked.`;
  }

  function showPreview(box, reply) {
    box.replaceChildren();
    const data = reply.data || {};
    if (reply.status === 200) {
      box.append(element("p", "preview-label", "Read as:"));
      const math = mathNode(data.mathml);
      if (math) box.append(math);
      const text = element("p", "read-as");
      text.append(element("span", "sr-label", "text: "), element("code", null, data.read_as));
      box.append(text);
      if (Array.isArray(data.notes) && data.notes.length) {
        const notes = element("ul", "notes");
        for (const note of data.notes) notes.append(element("li", null, `Note: ${note}`));
        box.append(notes);
      }
    } else if (reply.status === 422) {
      const where = Number.isInteger(data.position) ? ` (at position ${data.position})` : "";
      box.append(element("p", "unreadable", `Cannot read this yet${where}: ${data.error}`));
    } else {
      box.append(element("p", "unreadable", refusal(reply)));
    }
  }

  function showVerdict(result, details, data) {
    const [symbol, words] = VERDICTS[data.verdict] || ["?", "no verdict:"];
    const kind = String(data.verdict || "none").toLowerCase().replace(/\s+/g, "-");
    const line = element("p", `verdict verdict-${kind}`);
    line.append(element("span", "symbol", symbol), " ", element("strong", null, data.verdict),
      ` — ${words}`);
    const parts = [line];
    const message = String(data.message || "");
    if (data.verdict === "CANNOT CHECK") {
      const [first, ...rest] = message.split("\n");
      parts.push(element("p", "message", first));
      if (rest.length) parts.push(element("pre", "caret", rest.join("\n")));
    }
    if (data.counterexample) {
      parts.push(element("p", "counterexample", `Counterexample: ${data.counterexample.text}`));
    }
    if (Array.isArray(data.diagnosis) && data.diagnosis.length) {
      parts.push(element("p", "diagnosis", `Likely mistake: ${data.diagnosis.join("; ")}.`));
    }
    result.replaceChildren(...parts);
    details.replaceChildren();
    if (data.verdict !== "CANNOT CHECK" && message) {
      const more = element("details");
      more.append(element("summary", null, "How this was decided"), element("p", null, message));
      details.append(more);
    }
  }

  function setUp(form) {
    const answerId = form.dataset.id;
    const input = form.querySelector("input[name=answer]");
    const button = form.querySelector("button[type=submit]");
    const preview = form.querySelector(".preview");
    const result = form.querySelector(".result");
    const details = form.querySelector(".details");
    let timer = null;
    let pending = null;
    let sequence = 0;
    let checking = false;

    async function runPreview() {
      if (pending) pending.abort();
      const answer = input.value;
      if (!answer.trim()) {
        preview.replaceChildren();
        return;
      }
      pending = new AbortController();
      const mine = ++sequence;
      try {
        const reply = await post("/api/preview", {id: answerId, answer}, pending.signal);
        if (mine === sequence) showPreview(preview, reply);
      } catch (error) {
        if (error.name !== "AbortError" && mine === sequence) {
          preview.replaceChildren(element("p", "unreadable", "The server could not be reached."));
        }
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(runPreview, DEBOUNCE_MS);
    });

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const answer = input.value;
      if (!answer.trim()) {
        result.replaceChildren(element("p", "verdict verdict-none", "Type an answer first."));
        input.focus();
        return;
      }
      if (checking) return;
      checking = true;
      clearTimeout(timer);
      runPreview();
      button.setAttribute("aria-disabled", "true");
      result.setAttribute("aria-busy", "true");
      result.replaceChildren(element("p", "checking", "Checking…"));
      details.replaceChildren();
      try {
        const reply = await post("/api/check", {id: answerId, answer});
        if (reply.status === 200 && reply.data && reply.data.verdict) {
          showVerdict(result, details, reply.data);
        } else {
          result.replaceChildren(element("p", "verdict verdict-refused", refusal(reply)));
        }
      } catch (error) {
        result.replaceChildren(element("p", "verdict verdict-refused",
          "The server could not be reached; nothing was checked."));
      } finally {
        result.removeAttribute("aria-busy");
        button.removeAttribute("aria-disabled");
        checking = false;
      }
    });
  }

  document.querySelectorAll("form.answer").forEach(setUp);
})();
