// Draws Vega-Lite specs into PNGs off the main thread: vega-lite compiles, vega's headless View
// writes SVG, resvg (its binary comes inside its npm package) rasterises it with the DejaVu Sans
// font shipped by the dejavu-fonts-ttf package, never the machine's fonts, so a chart looks the
// same everywhere. Plain JavaScript (an ES module): it runs in a worker thread, outside any
// TypeScript loader, and loads the libraries on its first job, or on a `{ warm: true }` message sent
// before any chart is asked for (then a tiny chart is drawn and dropped, so the first real chart
// also finds the fonts read and the drawing code compiled).
import { parentPort } from 'node:worker_threads';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let libraries;

/** Loads the libraries once; a chart asked for while the warm-up loads them waits for the same load. */
function load() {
  libraries ??= Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]).then(([vega, vegaLite, resvg]) => {
    const fontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));
    return { vega, vegaLite, Resvg: resvg.Resvg ?? resvg.default.Resvg, fontFiles };
  }).catch((e) => {
    libraries = undefined; // the next chart tries again
    throw e;
  });
  return libraries;
}

/**
 * Charts carry their data inline: the loader refuses every URL a spec might name (data, images), so a
 * drawing never reaches the network or the disk.
 */
const refuse = (what) => Promise.reject(new Error(`charts loads no data (${String(what).slice(0, 80)})`));
const NO_LOADS = { load: refuse, sanitize: refuse, http: refuse, file: refuse };

/** Teams shows images up to 1024 px wide. */
const MAX_WIDTH = 1024;

async function draw(spec, scale) {
  const { vega, vegaLite, Resvg, fontFiles } = await load();
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader: NO_LOADS });
  try {
    const svg = await view.toSVG();
    const width = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1] ?? 0);
    const fitTo = width * scale > MAX_WIDTH ? { mode: 'width', value: MAX_WIDTH } : { mode: 'zoom', value: scale };
    const resvg = new Resvg(svg, {
      background: 'white',
      fitTo,
      font: { loadSystemFonts: false, fontFiles, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    });
    const image = resvg.render();
    return { png: image.asPng(), width: image.width, height: image.height };
  } finally {
    view.finalize();
  }
}

/** A chart of two points, drawn only to warm up. */
const WARM_UP = { width: 40, height: 20, data: { values: [{ x: 1, y: 1 }, { x: 2, y: 2 }] }, mark: 'line', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } };

parentPort.on('message', async ({ id, spec, scale, warm }) => {
  if (warm) {
    // Nobody waits for this: a failure here shows again, with its reason, on the first real chart.
    await draw(WARM_UP, 1).catch(() => undefined);
    return;
  }
  try {
    const { png, width, height } = await draw(spec, scale ?? 1);
    // A copy of its own: resvg's Buffer lives in memory the addon owns, which Node 22 will not transfer.
    const bytes = Uint8Array.from(png);
    parentPort.postMessage({ id, png: bytes, width, height }, [bytes.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
