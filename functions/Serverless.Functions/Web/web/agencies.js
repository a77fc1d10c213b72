// The council's agencies by id (GET /api/agencies), read once per session and kept in sessionStorage like everything
// else the page holds, so sign-out and the idle timeout clear them too. Agency names are not child data. A name is
// always shown through textContent (dom.js), so an agency called <script> is shown as text.
import { SignedOut, get } from './api.js';
import { currentSession } from './session.js';

const storageKey = 'agencies';
let parsedFrom = null;
let parsed = new Map();

// The stored list, parsed again only when sessionStorage holds another (after sign-out it is gone, and so is the map).
function stored() {
  const raw = sessionStorage.getItem(storageKey);
  if (raw !== parsedFrom) {
    parsedFrom = raw;
    parsed = new Map();
    try {
      for (const agency of raw ? JSON.parse(raw) : []) parsed.set(agency.agencyId, agency);
    } catch { parsed = new Map(); }
  }
  return parsed;
}

// Reads the list unless this session has it. A failure leaves the ids showing (agencyName falls back to them) and is
// tried again on the next screen; only a sign-out is passed on.
export async function loadAgencies() {
  if (sessionStorage.getItem(storageKey) !== null) return;
  try {
    const answer = await get('/api/agencies');
    if (!currentSession()) return;
    const agencies = answer.agencies.map(({ agencyId, name, kind }) => ({ agencyId, name, kind }));
    sessionStorage.setItem(storageKey, JSON.stringify(agencies));
  } catch (error) {
    if (error instanceof SignedOut) throw error;
  }
}

// An agency's Japanese name, or its id when the list does not know it (not loaded yet, or registered since).
export function agencyName(agencyId) {
  const agency = agencyId ? stored().get(agencyId) : null;
  return agency && agency.name ? agency.name : (agencyId || '');
}

// Every agency the session knows, in the API's order (by kind, then name).
export function agencyList() {
  return [...stored().values()];
}
