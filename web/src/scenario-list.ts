// The scenarios GET /_mock/scenarios lists, read leniently: the picker is an extra, and a
// shape it does not understand hides it rather than breaking the page.
export interface Scenario {
  name: string;
  description: string;
  /** What a well-behaved client does about it, when the server says. */
  clientShould: string;
}

const asScenario = (item: unknown, key?: string): Scenario | undefined => {
  if (typeof item === 'string') {
    return key ? { name: key, description: item, clientShould: '' } : { name: item, description: '', clientShould: '' };
  }
  if (typeof item !== 'object' || item === null) return undefined;
  const o = item as Record<string, unknown>;
  const name = [o.name, o.scenario, o.id, key].find((v): v is string => typeof v === 'string' && v !== '');
  if (!name) return undefined;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return { name, description: text(o.description), clientShould: text(o.clientShould) };
};

export function parseScenarios(body: unknown): Scenario[] {
  const list =
    typeof body === 'object' && body !== null && !Array.isArray(body) && 'scenarios' in body
      ? (body as { scenarios: unknown }).scenarios
      : body;
  const found = Array.isArray(list)
    ? list.map((item) => asScenario(item))
    : typeof list === 'object' && list !== null
      ? Object.entries(list).map(([key, item]) => asScenario(item, key))
      : [];
  return found.filter((s): s is Scenario => s !== undefined && /^[A-Za-z0-9._-]+$/.test(s.name));
}
