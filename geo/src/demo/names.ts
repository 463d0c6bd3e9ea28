/**
 * Names for the demo county. Townships are Shuyang's (沭阳县) towns, townships and streets (the
 * first 31 are its real ones; the rest fill the count of 40 with plausible local names). Everything
 * else is made up from common local patterns; people and phone numbers are fake.
 */
import type { Township } from '../types.ts';

export const COUNTY_NAME = '沭阳县';

/** [name, pinyin by syllable, kind]; the seven streets (街道) form the county seat. */
export const TOWNSHIP_NAMES: ReadonlyArray<readonly [string, string, Township['kind']]> = [
  ['沭城街道', 'shu cheng jie dao', 'street'],
  ['章集街道', 'zhang ji jie dao', 'street'],
  ['梦溪街道', 'meng xi jie dao', 'street'],
  ['七雄街道', 'qi xiong jie dao', 'street'],
  ['十字街道', 'shi zi jie dao', 'street'],
  ['南湖街道', 'nan hu jie dao', 'street'],
  ['湖东街道', 'hu dong jie dao', 'street'],
  ['胡集镇', 'hu ji zhen', 'town'],
  ['钱集镇', 'qian ji zhen', 'town'],
  ['陇集镇', 'long ji zhen', 'town'],
  ['韩山镇', 'han shan zhen', 'town'],
  ['华冲镇', 'hua chong zhen', 'town'],
  ['高墟镇', 'gao xu zhen', 'town'],
  ['悦来镇', 'yue lai zhen', 'town'],
  ['耿圩镇', 'geng wei zhen', 'town'],
  ['庙头镇', 'miao tou zhen', 'town'],
  ['贤官镇', 'xian guan zhen', 'town'],
  ['龙庙镇', 'long miao zhen', 'town'],
  ['官墩乡', 'guan dun xiang', 'township'],
  ['北丁集乡', 'bei ding ji xiang', 'township'],
  ['新河镇', 'xin he zhen', 'town'],
  ['马厂镇', 'ma chang zhen', 'town'],
  ['刘集镇', 'liu ji zhen', 'town'],
  ['扎下镇', 'zha xia zhen', 'town'],
  ['颜集镇', 'yan ji zhen', 'town'],
  ['汤涧镇', 'tang jian zhen', 'town'],
  ['潼阳镇', 'tong yang zhen', 'town'],
  ['沂涛镇', 'yi tao zhen', 'town'],
  ['青伊湖镇', 'qing yi hu zhen', 'town'],
  ['桑墟镇', 'sang xu zhen', 'town'],
  ['万匹乡', 'wan pi xiang', 'township'],
  ['塘沟镇', 'tang gou zhen', 'town'],
  ['吴集镇', 'wu ji zhen', 'town'],
  ['周集乡', 'zhou ji xiang', 'township'],
  ['茆圩乡', 'mao wei xiang', 'township'],
  ['张圩乡', 'zhang wei xiang', 'township'],
  ['西圩乡', 'xi wei xiang', 'township'],
  ['李恒镇', 'li heng zhen', 'town'],
  ['阴平镇', 'yin ping zhen', 'town'],
  ['仲兴镇', 'zhong xing zhen', 'town'],
];

/** The township name without 街道 / 镇 / 乡: 沭城, 胡集, 北丁集. */
export function shortName(name: string): string {
  return name.replace(/(街道|镇|乡)$/, '');
}

export const SURNAMES = [
  '王', '张', '李', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭',
  '马', '罗', '梁', '宋', '郑', '谢', '韩', '唐', '冯', '于', '董', '萧', '程', '曹', '袁', '邓', '许', '傅',
  '沈', '曾', '彭', '吕', '苏', '卢', '蒋', '蔡', '贾', '丁', '魏', '薛', '叶', '阎', '余', '潘', '杜', '戴',
  '夏', '钟', '汪', '田', '任', '姜', '范', '方', '石', '姚', '谭', '廖', '邹', '熊', '金', '陆', '郝', '孔',
  '白', '崔', '康', '毛', '邱', '秦', '江', '史', '顾', '侯', '邵', '孟', '龙', '万', '段', '仲', '葛', '颜',
] as const;

export const GIVEN_NAME_CHARACTERS = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀',
  '霞', '平', '刚', '桂', '英', '华', '玉', '兰', '文', '辉', '建', '国', '志', '海', '春', '红', '云', '飞',
  '宁', '浩', '鹏', '亮', '丹', '波', '斌', '凯', '晨', '雪', '婷', '琳', '峰', '成', '德', '荣', '庆', '学',
] as const;

/** First syllables for village names (X庄村, X圩村 …). */
export const VILLAGE_STEMS = [
  '王', '张', '李', '刘', '陈', '杨', '赵', '周', '吴', '徐', '孙', '胡', '朱', '高', '何', '郭', '马', '宋',
  '韩', '唐', '冯', '董', '程', '曹', '袁', '许', '沈', '彭', '吕', '蒋', '蔡', '丁', '魏', '薛', '叶', '潘',
  '夏', '钟', '汪', '田', '姜', '范', '石', '邹', '陆', '孔', '仲', '葛', '颜', '耿', '桑', '庄', '东', '西',
  '南', '北', '前', '后', '新', '大', '小', '中', '河', '湖', '沟', '塘', '桥', '柳', '杨树', '槐树', '梨园', '花园',
] as const;
export const VILLAGE_SUFFIXES = ['庄村', '圩村', '集村', '湖村', '河村', '沟村', '楼村', '墩村', '园村', '桥村', '洼村', '岗村'] as const;

/** Urban community names (X社区). */
export const COMMUNITY_STEMS = [
  '建设', '人民', '幸福', '文化', '沭河', '新华', '东关', '西关', '南关', '北关', '东湖', '中华', '和平', '胜利',
  '花园', '迎宾', '金鸡', '学府', '怡景', '锦绣', '春园', '振兴', '富民', '城南', '城北', '城东', '城西', '新村',
  '虞姬', '茶庵', '章集', '梦溪', '七雄', '十字', '南湖', '湖东', '汇峰', '华夏', '滨河', '紫薇', '桂花', '海棠',
  '玉兰', '长江', '黄河', '淮海', '淮河', '钱塘', '太湖', '天山', '泰山', '庐山', '黄山', '昆仑', '青年', '健康',
  '团结', '光明', '民主', '繁荣', '兴旺', '安康', '宁静', '和谐', '友谊', '新风', '新城', '双拥', '朝阳', '向阳',
  '红旗', '江海', '实验', '育才', '开发', '工业', '温泉', '运河', '沭水', '桃园', '杏园', '梅园', '竹园', '兰园',
] as const;

/** Words for made-up business and place names. */
export const BUSINESS_STEMS = [
  '金鼎', '银河', '华源', '鑫源', '宏达', '恒信', '东方', '瑞丰', '锦程', '佳和', '永盛', '天润', '宝丰', '嘉禾',
  '盛世', '和顺', '广源', '福满', '金城', '凯旋', '丽都', '君悦', '帝豪', '维也纳', '如家', '新世纪', '金陵',
  '苏淮', '淮海', '沭河', '虞姬', '花乡', '鑫隆', '汇通', '中天', '中兴', '富华', '顺达', '宏图', '万家', '乐购',
  '百润', '润泽', '康泰', '安泰', '华美', '欧尚', '时代', '阳光', '绿洲', '春晖', '秋实', '立信', '德润', '荣盛',
] as const;
export const RESIDENTIAL_STEMS = [
  '幸福', '阳光', '锦绣', '金色', '翠湖', '香榭', '丽景', '华府', '御景', '金鼎', '东方', '书香', '沭河', '虞姬',
  '世纪', '新城', '碧桂', '景瑞', '恒盛', '文昌', '紫金', '紫薇', '桂园', '兰亭', '龙湖', '天悦', '水岸', '湖畔',
  '名门', '盛世', '佳园', '温馨', '金港', '滨河', '樱花', '玫瑰', '青年', '鸿福', '福地', '中央', '城市', '公园',
] as const;
export const RESIDENTIAL_SUFFIXES = ['小区', '花园', '家园', '苑', '新村', '公馆', '名邸', '华庭', '嘉园', '公寓'] as const;
export const INDUSTRIES = ['木业', '花木', '电子', '服装', '纺织', '机械', '食品', '家具', '包装', '新材料', '光电', '建材', '生物科技', '农业科技', '物流'] as const;
export const ROADS = [
  '人民路', '沭河路', '北京路', '上海路', '南京路', '深圳路', '迎宾大道', '沭阳大道', '温泉路', '常州路',
  '苏州路', '杭州路', '天津路', '长江路', '黄河路', '珠江路', '中华路', '华山路', '建设路', '文化路',
] as const;
