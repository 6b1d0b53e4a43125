// The search alert follows the search on screen: live search changes the address without
// reloading, so the form's hidden criteria (written when the page was served) are refreshed
// from the address as the form is sent. The server normalises them as it does any search.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.classList.contains("alert-form")) return;
  const kind = form.querySelector("input[name='alert-kind']");
  const criteria = form.querySelector("input[name='alert-criteria']");
  if (!kind || !criteria || kind.value !== "search") return;
  if (window.location.pathname !== form.dataset.searchPath) return;
  criteria.value = window.location.search.replace(/^\?/, "");
});
