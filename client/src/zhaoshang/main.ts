import { createApp } from 'vue';
import './zhaoshang.css';
import PublicApp from './public-app.vue';

/**
 * The public 招商地图 (/zhaoshang/): a page of its own for investors, no login. Its bundle holds Vue,
 * this folder's public files and, loaded after the list, MapLibre: no Element Plus, ECharts or
 * admin pages (client/vite.config.ts builds it as a second entry).
 */
createApp(PublicApp).mount('#zhaoshang');
