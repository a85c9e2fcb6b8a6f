/** The reclaim workflow's pure part: audit, plan, the fixed step script, measurement. */
export { auditPool, buildReclaimPlan, checkMountPoint, type PlanStep, type PoolAudit, type ReclaimOptions, type ReclaimPlan, type StepKind, type StepOp } from './plan.js';
export { measureReclaim, type PoolMeasurement, type PoolSnapshot } from './measure.js';
export { RECLAIM_SCRIPT } from './reclaimScript.js';
