// The guestbook page's script: the sign form and the ♥ buttons call their actions with
// `fetch` (through `/actions.js`) and update the page in place, without a navigation.
// Without JavaScript the same forms post `?_action=` and the server renders the result.

import { actions, isInputError } from "/actions.js";

function text(tag, content, className) {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  return element;
}

function localTime(date) {
  const time = text("time", date.toLocaleString());
  time.dateTime = date.toISOString();
  return time;
}

function enhanceLike(form, status) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { data, error } = await actions.guestbook.like(new FormData(form));
    if (error) {
      status.textContent = error.message;
      return;
    }
    form.querySelector(".likes").textContent = String(data.likes);
  });
}

function entryItem(entry, status) {
  const item = document.createElement("li");
  item.id = `entry-${entry.id}`;
  item.className = "entry";
  const meta = text("span", "signed ", "meta");
  meta.append(localTime(entry.signedAt));
  item.append(text("strong", entry.name), " ", meta, document.createElement("br"));
  item.append(text("span", entry.message, "message"), " ");
  const like = document.createElement("form");
  like.method = "post";
  like.action = "/?_action=guestbook.like";
  like.className = "inline like";
  like.innerHTML = '<input type="hidden" name="id"><button>♥ <span class="likes"></span></button>';
  like.querySelector("input").value = String(entry.id);
  like.querySelector(".likes").textContent = String(entry.likes);
  enhanceLike(like, status);
  item.append(like);
  return item;
}

function showFieldErrors(form, fields) {
  for (const old of form.querySelectorAll(".field-error, .error")) old.remove();
  for (const [name, messages] of Object.entries(fields)) {
    const input = form.elements.namedItem(name);
    const paragraph = text("p", messages.join(" "), "field-error");
    paragraph.id = `${name}-error`;
    if (input) input.after(paragraph);
  }
}

export function enhanceGuestbook(root) {
  const status = root.getElementById("js-status");
  const form = root.getElementById("sign-form");
  const list = root.getElementById("entries");
  const count = root.getElementById("entry-count");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { data, error } = await actions.guestbook.sign(new FormData(form));
    if (error) {
      if (isInputError(error)) {
        showFieldErrors(form, error.fields);
      } else {
        status.textContent = `${error.code}: ${error.message}`;
      }
      return;
    }
    showFieldErrors(form, {});
    form.reset();
    list.prepend(entryItem(data, status));
    count.textContent = String(Number(count.textContent) + 1);
    status.textContent = `Thanks, ${data.name}! Signed ${data.signedAt.toLocaleString()}, without a reload.`;
  });

  for (const like of root.querySelectorAll("form.like")) enhanceLike(like, status);
  status.textContent = "JavaScript is on: signing and liking happen without a reload.";
}
