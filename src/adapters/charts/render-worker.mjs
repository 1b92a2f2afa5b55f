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

async function draw(spec) {
  const { vega, vegaLite, Resvg, fontFiles } = await load();
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const resvg = new Resvg(svg, {
      background: 'white',
      font: { loadSystemFonts: false, fontFiles, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    });
    const image = resvg.render();
    return { png: image.asPng(), width: image.width, height: image.height };
  } finally {
    view.finalize();
  }
}

parentPort.on('message', async ({ id, spec }) => {
  try {
    const { png, width, height } = await draw(spec);
    const bytes = new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
    parentPort.postMessage({ id, png: bytes, width, height }, [bytes.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
