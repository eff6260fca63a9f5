import { describe, expect, it } from 'vitest';
import { smsSafe } from './sms-text.ts';

describe('smsSafe: free text in SMS and voice messages', () => {
  it('keeps Chinese names and addresses as they are', () => {
    expect(smsSafe('张桂英')).toBe('张桂英');
    expect(smsSafe('阿依古丽·买买提')).toBe('阿依古丽·买买提');
    expect(smsSafe('湖滨路 12 号 3 号楼 402 室', 60)).toBe('湖滨路 12 号 3 号楼 402 室');
    expect(smsSafe('幸福里（南区）8-2-301')).toBe('幸福里(南区)8-2-301');
    expect(smsSafe(null)).toBe('');
  });

  it('drops control, invisible and direction characters, and folds line breaks', () => {
    expect(smsSafe('王\u0000\u0007秀\u007f兰\u0085')).toBe('王秀兰');
    expect(smsSafe('李\u200b四\u202e\u2066\ufeff')).toBe('李四');
    expect(smsSafe('第一行\r\n第二行\u2028第三行')).toBe('第一行 第二行 第三行');
  });

  it('removes links, domains and e-mail addresses smuggled in through a name', () => {
    for (const name of [
      '张三 https://evil.example/pay',
      '张三http://x.cn',
      '张三 www.evil.com',
      '张三 evil.com/login',
      '张三 ｅｖｉｌ．ｃｏｍ',
      '张三 pay.evil.cn',
      '张三 a@evil.cn',
      '张三 EVIL.COM',
    ]) {
      const s = smsSafe(name);
      expect(s, name).toBe('张三');
      expect(s).not.toMatch(/[:/.@]|evil/i);
    }
  });

  it('drops brackets that fake the sender signature and other symbols', () => {
    expect(smsSafe('【银行】请回电')).toBe('银行请回电');
    expect(smsSafe('赵六<script>"\'')).toBe('赵六script');
  });

  it('bounds the length, by characters, marking the cut', () => {
    const long = '很'.repeat(100);
    expect(smsSafe(long, 20)).toBe(`${'很'.repeat(19)}…`);
    expect([...smsSafe('😀'.repeat(50), 10)].length).toBeLessThanOrEqual(10);
    expect(smsSafe('短名', 20)).toBe('短名');
  });
});
