// Lenient field splitting for the rare records the fast scanner does not copy verbatim (the header,
// records with stray quotes, ragged records): RFC 4180 quoting, a quote inside an unquoted field is text.

export function splitRecord(text: string, delimiter: string, quote: string): string[] {
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    let value = '';
    if (text[i] === quote) {
      i++;
      for (;;) {
        const q = text.indexOf(quote, i);
        if (q === -1) {
          value += text.slice(i);
          i = n;
          break;
        }
        value += text.slice(i, q);
        if (text[q + 1] === quote) {
          value += quote;
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      // Text between a closing quote and the next delimiter is kept rather than lost.
      const d = text.indexOf(delimiter, i);
      const end = d === -1 ? n : d;
      value += text.slice(i, end);
      i = end;
    } else {
      const d = text.indexOf(delimiter, i);
      const end = d === -1 ? n : d;
      value = text.slice(i, end);
      i = end;
    }
    fields.push(value);
    if (i >= n) break;
    i += delimiter.length;
    if (i === n) {
      fields.push('');
      break;
    }
  }
  return fields;
}

/** One field in RFC 4180 form: always quoted, quotes doubled. */
export function quoteField(value: string, quote: string): string {
  return quote + value.replaceAll(quote, quote + quote) + quote;
}
