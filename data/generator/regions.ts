// Regions of the demo (GB/T 2260 codes): the five pilot cities (since 2021) and the three pilot provinces (since
// 2024-03) named by NHSA 2025, and the 31 provincial regions used by the benchmark scales.

export type RegionKind = 'city' | 'province';

export interface Region {
  code: string;
  name: string;
  /** ASCII name used in file names. */
  slug: string;
  kind: RegionKind;
  provinceName: string;
  /** Price level relative to the reference ladder (1 = reference). */
  priceFactor: number;
  /** Size of institutions relative to the reference (volumes). */
  volumeFactor: number;
  /** Districts and counties (cities) or prefecture cities (provinces), for institution names. */
  places: string[];
}

export const PILOT_CITIES: Region[] = [
  {
    code: '130200', name: '唐山市', slug: 'tangshan', kind: 'city', provinceName: '河北省', priceFactor: 0.94, volumeFactor: 1.4,
    places: ['路南区', '路北区', '古冶区', '开平区', '丰南区', '丰润区', '曹妃甸区', '滦州市', '遵化市', '迁安市', '玉田县', '乐亭县'],
  },
  {
    code: '320500', name: '苏州市', slug: 'suzhou', kind: 'city', provinceName: '江苏省', priceFactor: 1.1, volumeFactor: 1.8,
    places: ['姑苏区', '虎丘区', '吴中区', '相城区', '吴江区', '常熟市', '张家港市', '昆山市', '太仓市'],
  },
  {
    code: '350200', name: '厦门市', slug: 'xiamen', kind: 'city', provinceName: '福建省', priceFactor: 1.06, volumeFactor: 1.4,
    places: ['思明区', '湖里区', '集美区', '海沧区', '同安区', '翔安区'],
  },
  {
    code: '360700', name: '赣州市', slug: 'ganzhou', kind: 'city', provinceName: '江西省', priceFactor: 0.88, volumeFactor: 1.35,
    places: ['章贡区', '南康区', '赣县区', '信丰县', '大余县', '于都县', '兴国县', '宁都县', '会昌县', '瑞金市', '龙南市'],
  },
  {
    code: '511100', name: '乐山市', slug: 'leshan', kind: 'city', provinceName: '四川省', priceFactor: 0.9, volumeFactor: 1.15,
    places: ['市中区', '沙湾区', '五通桥区', '金口河区', '犍为县', '井研县', '夹江县', '沐川县', '峨眉山市'],
  },
];

export const PILOT_PROVINCES: Region[] = [
  {
    code: '150000', name: '内蒙古自治区', slug: 'neimenggu', kind: 'province', provinceName: '内蒙古自治区', priceFactor: 0.95, volumeFactor: 1.2,
    places: ['呼和浩特市', '包头市', '乌海市', '赤峰市', '通辽市', '鄂尔多斯市', '呼伦贝尔市', '巴彦淖尔市', '乌兰察布市', '锡林郭勒盟'],
  },
  {
    code: '330000', name: '浙江省', slug: 'zhejiang', kind: 'province', provinceName: '浙江省', priceFactor: 1.08, volumeFactor: 1.6,
    places: ['杭州市', '宁波市', '温州市', '嘉兴市', '湖州市', '绍兴市', '金华市', '衢州市', '舟山市', '台州市', '丽水市'],
  },
  {
    code: '510000', name: '四川省', slug: 'sichuan', kind: 'province', provinceName: '四川省', priceFactor: 0.93, volumeFactor: 1.35,
    places: ['成都市', '自贡市', '攀枝花市', '泸州市', '德阳市', '绵阳市', '广元市', '遂宁市', '内江市', '南充市', '眉山市', '宜宾市', '达州市', '雅安市'],
  },
];

export const DEMO_REGIONS: Region[] = [...PILOT_CITIES, ...PILOT_PROVINCES];

export const NATIONAL_CODE = '000000';

/** The 31 provincial-level regions of the mainland (GB/T 2260). */
export const PROVINCES_31: Array<{ code: string; name: string }> = [
  { code: '110000', name: '北京市' }, { code: '120000', name: '天津市' }, { code: '130000', name: '河北省' },
  { code: '140000', name: '山西省' }, { code: '150000', name: '内蒙古自治区' }, { code: '210000', name: '辽宁省' },
  { code: '220000', name: '吉林省' }, { code: '230000', name: '黑龙江省' }, { code: '310000', name: '上海市' },
  { code: '320000', name: '江苏省' }, { code: '330000', name: '浙江省' }, { code: '340000', name: '安徽省' },
  { code: '350000', name: '福建省' }, { code: '360000', name: '江西省' }, { code: '370000', name: '山东省' },
  { code: '410000', name: '河南省' }, { code: '420000', name: '湖北省' }, { code: '430000', name: '湖南省' },
  { code: '440000', name: '广东省' }, { code: '450000', name: '广西壮族自治区' }, { code: '460000', name: '海南省' },
  { code: '500000', name: '重庆市' }, { code: '510000', name: '四川省' }, { code: '520000', name: '贵州省' },
  { code: '530000', name: '云南省' }, { code: '540000', name: '西藏自治区' }, { code: '610000', name: '陕西省' },
  { code: '620000', name: '甘肃省' }, { code: '630000', name: '青海省' }, { code: '640000', name: '宁夏回族自治区' },
  { code: '650000', name: '新疆维吾尔自治区' },
];
