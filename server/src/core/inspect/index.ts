/**
 * Remote inspection, pure part: the collector script, its parser, the host
 * report and its verdicts, the raw transcript and the JSON shape. The remote
 * layer (server/src/remote) runs the script; everything else happens here.
 */
import { normaliseThresholds, type Thresholds } from '../knowledge/thresholds.js';
import type { PrivilegeMode } from './collector.js';
import { parseCollectorOutput, type CollectedOutput } from './sections.js';
import { buildHostModel, type HostReport } from './hostReport.js';
import { judgeHost } from './verdicts.js';

export { COLLECTOR_SCRIPT, COLLECTOR_SECTIONS, COLLECTOR_VERSION, type CollectorSection, type PrivilegeMode } from './collector.js';
export { parseCollectorOutput, nonceFromBytes, type CollectedOutput, type Section } from './sections.js';
export {
  unreachableReport,
  engineLabel,
  type HostReport,
  type PoolReport,
  type BackingReport,
  type ThinDeviceReport,
  type HostFinding,
  type EngineReport,
  type ReclaimVerdict,
  type PunchHole,
} from './hostReport.js';
export { reclaimVerdict } from './verdicts.js';
export { collectedTranscript } from './transcript.js';
export { inspectJson, fleetSummary, type InspectJsonHost, type FleetRow } from './json.js';
export { INSPECTION_CODES, type InspectionCode } from '../knowledge/inspectionCodes.js';

export interface ReportOptions {
  privilege?: PrivilegeMode;
  thresholds?: Partial<Thresholds>;
}

/** The whole pure pipeline: collector stdout → judged host report. */
export function hostReportFromOutput(host: string, stdout: string, nonce: string, options: ReportOptions = {}): { report: HostReport; collected: CollectedOutput } {
  const collected = parseCollectorOutput(stdout, nonce);
  const model = buildHostModel(host, collected, options.privilege ?? 'direct');
  return { report: judgeHost(model, collected, normaliseThresholds(options.thresholds)), collected };
}
