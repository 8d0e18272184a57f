import { createApp } from 'vue';
import 'element-plus/dist/index.css';
import './styles.css';
import './ui/print.css';
import App from './App.vue';
import { escapeClosesDialogs } from './ui/escape-closes-dialogs.js';

escapeClosesDialogs();

createApp(App).mount('#app');
