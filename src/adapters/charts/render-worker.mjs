// Draws Vega-Lite specs into PNGs off the main thread: vega-lite compiles, vega's headless View
// writes SVG, resvg (its binary comes inside its npm package) rasterises it with the DejaVu Sans
// font shipped by the dejavu-fonts-ttf package, never the machine's fonts, so a chart looks the
// same everywhere. Plain JavaScript (an ES module): it runs in a worker thread, outside any
// TypeScript loader, and loads the libraries on its first job only.
import { parentPort } from 'node:worker_threads';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let libraries;

async function load() {
  if (!libraries) {
    const [vega, vegaLite, resvg] = await Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]);
    const fontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));
    libraries = { vega, vegaLite, Resvg: resvg.Resvg ?? resvg.default.Resvg, fontFiles };
  }
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

parentPort.on('message', async ({ id, spec, scale }) => {
  try {
    const { png, width, height } = await draw(spec, scale ?? 1);
    // A copy of its own: resvg's Buffer lives in memory the addon owns, which Node 22 will not transfer.
    const bytes = Uint8Array.from(png);
    parentPort.postMessage({ id, png: bytes, width, height }, [bytes.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
