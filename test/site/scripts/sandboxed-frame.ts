/** A trusted page that embeds its own probe page in a sandboxed frame and shows what it reported. */

window.addEventListener('message', (event: MessageEvent) => {
  const data: unknown = event.data;
  if (typeof data !== 'object' || data === null || !('probeResult' in data)) return;
  const target = document.getElementById('frame-result');
  if (target === null) return;
  target.textContent = JSON.stringify(data.probeResult);
  target.dataset.done = 'true';
});
