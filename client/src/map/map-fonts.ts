/** Latin and digit glyphs come from the product's glyph server; CJK is drawn by the browser. */
export const TEXT_FONT = ['Noto Sans Regular'];

/**
 * Browser fonts for CJK labels. No CJK glyph PBFs are served (they would be ~20 MB per stack), so
 * MapLibre draws ideographs with these local fonts instead.
 */
export const LOCAL_IDEOGRAPH_FONT_FAMILY = "'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', sans-serif";
