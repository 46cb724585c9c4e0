// The visitor counter. The API's URL comes from /config.json, written at deploy time:
// {"counterUrl": "https://<api>/count"} or {"counterUrl": null}. The first load of a browser session counts the
// visit (POST); later loads only read the count (GET). Any failure or a slow API leaves the neutral placeholder.
const TIMEOUT_MS = 4000;
const SESSION_KEY = "cloudresume.counted";

async function getJson(url, method) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(url, { method, cache: "no-store", signal: controller.signal });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return await response.json();
  } finally {
    clearTimeout(timer);
  }
}

function sessionFlag(set) {
  try {
    if (set) sessionStorage.setItem(SESSION_KEY, "1");
    return sessionStorage.getItem(SESSION_KEY) === "1";
  } catch {
    return false; // storage disabled: count the visit, it cannot be remembered anyway
  }
}

async function showCount(output) {
  const { counterUrl } = await getJson("/config.json", "GET");
  if (typeof counterUrl !== "string" || counterUrl === "") return "unconfigured";
  const counted = sessionFlag(false);
  const { count } = await getJson(counterUrl, counted ? "GET" : "POST");
  if (!Number.isSafeInteger(count)) throw new Error("no count in the response");
  if (!counted) sessionFlag(true);
  output.textContent = count.toLocaleString("en");
  return "ready";
}

const output = document.getElementById("visitor-count");
if (output) {
  showCount(output).then(
    (state) => { output.dataset.state = state; },
    () => { output.dataset.state = "unavailable"; },
  );
}
