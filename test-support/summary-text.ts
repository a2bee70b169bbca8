// The job summary as a person sees it on the run's page: headings, tables as aligned columns,
// paragraphs, links as their text; the HTML the action writes, rendered to plain text. It knows
// only the few elements our summaries use (see src/report/summary.ts).

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }

function text(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity)
}

function table(html: string): string {
  const rows = [...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((cell) => text(cell[1] ?? '')),
  )
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), [])
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

export function summaryAsText(html: string): string {
  return html
    .replace(/<table>(.*?)<\/table>/gs, (_, inner: string) => `\n${table(inner)}\n`)
    .replace(/<h2>(.*?)<\/h2>/g, (_, title: string) => `\n${text(title)}\n${'='.repeat(text(title).length)}\n`)
    .replace(/<h3>(.*?)<\/h3>/g, (_, title: string) => `\n${text(title)}\n${'-'.repeat(text(title).length)}\n`)
    .replace(/<li>(.*?)<\/li>/g, (_, item: string) => `- ${text(item)}\n`)
    .replace(/<p>(.*?)<\/p>/gs, (_, paragraph: string) => `${text(paragraph)}\n`)
    .replace(/<\/?ul>/g, '')
    .split('\n')
    .map((line) => (line.includes('<') ? text(line) : line))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
