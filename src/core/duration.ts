// Seconds as every view writes them: one decimal under 10 s ("3.1"), whole seconds from there ("45").
export function secondsFigure(seconds: number): string {
  const tenths = Math.round(seconds * 10) / 10;
  return tenths < 10 ? tenths.toFixed(1) : String(Math.round(seconds));
}
