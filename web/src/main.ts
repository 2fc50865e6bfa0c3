import { createApp } from 'vue';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import App from './App.vue';
import { i18n } from './locales';
import { router } from './router';
import './style.css';

createApp(App).use(router).use(i18n).use(ElementPlus).mount('#app');
