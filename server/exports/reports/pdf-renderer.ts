import fp from 'fastify-plugin';
import { chromium, type Browser } from 'playwright-core';
import type { AppInstance } from '../../app-instance.js';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../../system/chromium.js';
import { escapeHtml, type Html } from './html.js';

/** Pages rendered at once per process (each is a Chromium renderer of its own: memory, CPU). */
export const MAX_PDF_PAGES = 2;

export interface PdfOptions {
  /** Left of every page's footer (the report and who exported it); the right says 第 N 页 / 共 M 页. */
  footer: string;
  signal?: AbortSignal;
}

export interface PdfRenderer {
  /** The HTML document as an A4 PDF (fonts embedded), written to `file`. */
  render(document: Html, file: string, options: PdfOptions): Promise<void>;
  /** Reports being rendered now (at most the limit) and waiting for a page. */
  load(): { rendering: number; waiting: number };
  /** Closes the browser (the app's onClose). */
  close(): Promise<void>;
}

/** The page footer: the report on the left, page numbers on the right (Chromium fills pageNumber/totalPages). */
export function footerTemplate(text: string): string {
  return `<div style="width:100%;margin:0 15mm;font-family:'Noto Sans CJK SC',sans-serif;font-size:7.5pt;color:#555;display:flex;justify-content:space-between;">`
    + `<span>${escapeHtml(text)}</span><span>第 <span class="pageNumber"></span> 页 / 共 <span class="totalPages"></span> 页</span></div>`;
}

/**
 * Debian's headless Chromium, launched on the first report and kept for the next ones (a launch
 * costs about a second), relaunched if it died; at most MAX_PDF_PAGES pages at once, the rest wait.
 * A page runs no script and reaches no network: the report is self-contained HTML and inline SVG
 * in the installed Noto CJK fonts, so a hostile string in it is text and nothing else.
 */
export function createPdfRenderer(options: { maxPages?: number } = {}): PdfRenderer {
  const maxPages = options.maxPages ?? MAX_PDF_PAGES;
  let browser: Promise<Browser> | null = null;
  let closed = false;
  let running = 0;
  const waiting: (() => void)[] = [];

  function browserOf(): Promise<Browser> {
    if (!browser) {
      const launching = chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, headless: true, args: [...CHROMIUM_ARGS] }).catch((error: unknown) => {
        throw new Error(`无法启动 ${CHROMIUM_EXECUTABLE}（PDF 报告需要 Debian 软件包 chromium 和 fonts-noto-cjk，npm start 会安装）/ cannot launch Chromium: ${(error as Error).message}`);
      });
      browser = launching;
      launching.then((launched) => launched.on('disconnected', () => { if (browser === launching) browser = null; }), () => { if (browser === launching) browser = null; });
    }
    return browser;
  }

  async function slot(signal?: AbortSignal): Promise<void> {
    if (running < maxPages) {
      running++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = waiting.indexOf(go);
        if (index >= 0) waiting.splice(index, 1);
        reject(signal?.reason ?? new Error('aborted'));
      };
      const go = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.push(go);
    });
    // The slot was handed over by `release` (running unchanged).
  }

  function release(): void {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }

  return {
    async render(document, file, { footer, signal }) {
      if (closed) throw new Error('PDF renderer closed');
      signal?.throwIfAborted();
      await slot(signal);
      try {
        signal?.throwIfAborted();
        const context = await (await browserOf()).newContext({ javaScriptEnabled: false, offline: true });
        try {
          await context.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort('blockedbyclient')));
          const page = await context.newPage();
          const abort = () => { void context.close(); };
          signal?.addEventListener('abort', abort, { once: true });
          try {
            await page.setContent(document.markup, { waitUntil: 'load' });
            await page.pdf({
              path: file, format: 'A4', printBackground: true, preferCSSPageSize: false,
              displayHeaderFooter: true, headerTemplate: '<div></div>', footerTemplate: footerTemplate(footer),
              margin: { top: '14mm', bottom: '16mm', left: '15mm', right: '15mm' },
            });
          } finally {
            signal?.removeEventListener('abort', abort);
          }
          signal?.throwIfAborted();
        } finally {
          await context.close().catch(() => undefined);
        }
      } finally {
        release();
      }
    },

    load() {
      return { rendering: running, waiting: waiting.length };
    },

    async close() {
      closed = true;
      const open = browser;
      browser = null;
      if (open) await (await open.catch(() => null))?.close();
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    pdfRenderer: PdfRenderer;
  }
}

/** `app.pdfRenderer`: one browser per process, launched on first use, closed with the app. */
export const pdfRendererPlugin = fp(async (app: AppInstance) => {
  const renderer = createPdfRenderer();
  app.decorate('pdfRenderer', renderer);
  app.addHook('onClose', async () => renderer.close());
}, { name: 'pdf-renderer' });
