// lunar-javascript ships no type declarations; only what the care module uses is declared.
declare module 'lunar-javascript' {
  interface Solar {
    toYmd(): string;
  }
  interface Lunar {
    getSolar(): Solar;
  }
  const lunar: {
    Lunar: { fromYmd(year: number, month: number, day: number): Lunar };
  };
  export default lunar;
}
