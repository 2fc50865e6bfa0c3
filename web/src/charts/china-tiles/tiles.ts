/**
 * A tile grid map of China: one square per provincial-level region in its rough geographic position (column = west
 * → east, row = north → south), the layout data journalists use for province-level figures. Positions were placed
 * from the provinces' centroids and then nudged so that neighbours stay next to each other (黑龙江 above 吉林, 北京
 * and 天津 inside 河北's corner, 上海 east of 江苏 …).
 *
 * A map of China with real borders must carry an approval number (审图号) of the Ministry of Natural Resources when
 * published; this product deliberately uses this abstract grid instead of a boundary map. Taiwan, Hong Kong and
 * Macao have tiles too (China is drawn whole), marked `inData: false`: they are not in the region table, which holds
 * the 31 provinces of the mainland.
 */
export interface ProvinceTile {
  /** GB/T 2260 code of the province (710000 台湾, 810000 香港, 820000 澳门 are outside the data). */
  code: string;
  /** Short name, as on tile maps. */
  zh: string;
  en: string;
  /** A shorter English label for the tile, where the name does not fit. */
  enShort?: string;
  col: number;
  row: number;
  inData: boolean;
}

const t = (code: string, zh: string, en: string, col: number, row: number, inData = true, enShort?: string): ProvinceTile => ({
  code, zh, en, col, row, inData, ...(enShort ? { enShort } : {}),
});

export const PROVINCE_TILES: readonly ProvinceTile[] = [
  t('230000', '黑龙江', 'Heilongjiang', 7, 0, true, 'Heilongj.'),
  t('220000', '吉林', 'Jilin', 7, 1),
  t('150000', '内蒙古', 'Inner Mongolia', 4, 2, true, 'Inner Mong.'),
  t('110000', '北京', 'Beijing', 5, 2),
  t('210000', '辽宁', 'Liaoning', 6, 2),
  t('650000', '新疆', 'Xinjiang', 0, 3),
  t('630000', '青海', 'Qinghai', 1, 3),
  t('620000', '甘肃', 'Gansu', 2, 3),
  t('640000', '宁夏', 'Ningxia', 3, 3),
  t('140000', '山西', 'Shanxi', 4, 3),
  t('130000', '河北', 'Hebei', 5, 3),
  t('120000', '天津', 'Tianjin', 6, 3),
  t('540000', '西藏', 'Tibet', 1, 4),
  t('510000', '四川', 'Sichuan', 2, 4),
  t('610000', '陕西', 'Shaanxi', 3, 4),
  t('410000', '河南', 'Henan', 4, 4),
  t('370000', '山东', 'Shandong', 5, 4),
  t('530000', '云南', 'Yunnan', 2, 5),
  t('500000', '重庆', 'Chongqing', 3, 5),
  t('420000', '湖北', 'Hubei', 4, 5),
  t('340000', '安徽', 'Anhui', 5, 5),
  t('320000', '江苏', 'Jiangsu', 6, 5),
  t('310000', '上海', 'Shanghai', 7, 5),
  t('520000', '贵州', 'Guizhou', 3, 6),
  t('430000', '湖南', 'Hunan', 4, 6),
  t('360000', '江西', 'Jiangxi', 5, 6),
  t('330000', '浙江', 'Zhejiang', 6, 6),
  t('450000', '广西', 'Guangxi', 3, 7),
  t('440000', '广东', 'Guangdong', 4, 7),
  t('350000', '福建', 'Fujian', 5, 7),
  t('710000', '台湾', 'Taiwan', 6, 7, false),
  t('460000', '海南', 'Hainan', 3, 8),
  t('820000', '澳门', 'Macao', 4, 8, false),
  t('810000', '香港', 'Hong Kong', 5, 8, false),
];

/** The province code of a region code (511100 → 510000). */
export function provinceOf(code: string): string {
  return `${code.slice(0, 2)}0000`;
}
