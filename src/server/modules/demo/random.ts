/** Deterministic pseudo-random numbers (mulberry32), so the demo district is the same on every machine. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// Fictional people only: common surnames and given-name characters, combined at random.
const surnames =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split(
    '',
  );
const maleChars = '国建明华军伟志强德永福文平海林荣忠庆祥宝成生春俊杰光耀新民学锋贵宏利兴启树东胜斌彬'.split(
  '',
);
const femaleChars = '秀英兰芳珍玉桂凤丽梅琴淑华娟云霞红莲萍敏慧静美月素翠琳燕洁婷雪彩菊芬蓉'.split('');

export function personName(rng: Rng, gender: 'M' | 'F'): string {
  const chars = gender === 'M' ? maleChars : femaleChars;
  const given = rng.chance(0.7) ? rng.pick(chars) + rng.pick(chars) : rng.pick(chars);
  return rng.pick(surnames) + given;
}

/** A mobile number in a reserved-looking pattern (fictional). */
export function mobile(rng: Rng): string {
  const prefix = rng.pick([
    '130',
    '131',
    '132',
    '135',
    '136',
    '137',
    '138',
    '139',
    '150',
    '151',
    '158',
    '159',
    '177',
    '186',
    '188',
    '189',
  ]);
  return prefix + String(rng.int(0, 99_999_999)).padStart(8, '0');
}
