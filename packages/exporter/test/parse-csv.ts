/** A strict RFC 4180 reader for tests: CRLF records, quoted fields, doubled quotes; throws on anything else. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
      else if (c === '"') (quoted = false), (i += 1);
      else (field += c), (i += 1);
    } else if (c === '"') {
      if (field !== "") throw new Error(`quote inside an unquoted field at ${i}`);
      (quoted = true), (i += 1);
    } else if (c === ",") record.push(field), (field = ""), (i += 1);
    else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      (record = []), (field = ""), (i += 2);
    } else if (c === "\r" || c === "\n") throw new Error(`bare line break outside quotes at ${i}`);
    else (field += c), (i += 1);
  }
  if (quoted) throw new Error("unterminated quote");
  if (field !== "" || record.length > 0) throw new Error("last record without CRLF");
  return records;
}
