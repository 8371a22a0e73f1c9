import { z } from "zod";
import { JobBusyError, JobUnavailableError, UnknownJobError } from "../../schedules/job.js";
import type { RouteDeps } from "../context.js";
import { ApiError } from "../errors.js";
import { RouteGroup } from "../route-group.js";

export const ScheduleJobParams = z.strictObject({
  job: z.string().min(1).max(64).describe("dunning, reconciliation or exports"),
});

const LastRunSchema = z
  .object({
    trigger: z.enum(["schedule", "catch-up", "manual"]),
    startedAt: z.string(),
    finishedAt: z.string(),
    outcome: z.enum(["ok", "failed"]),
    summary: z.string(),
    error: z.string().nullable(),
  })
  .nullable();

const ScheduleSchema = z.object({
  job: z.string(),
  description: z.string(),
  expression: z.string().describe("five-field cron, read in timeZone"),
  timeZone: z.string(),
  enabled: z.boolean().describe("false: turned off in the config; runs only on request"),
  unavailable: z.string().nullable().describe("why the job cannot run (a setting it needs)"),
  nextRunAt: z.string().nullable(),
  lastSlot: z.string().nullable().describe("the last due slot the schedule ran"),
  running: z.boolean(),
  lastRun: LastRunSchema,
});

const RunSchema = z.object({
  job: z.string(),
  slot: z.null(),
  trigger: z.literal("manual"),
  startedAt: z.string(),
  finishedAt: z.string(),
  outcome: z.enum(["ok", "failed"]),
  summary: z.string(),
  error: z.string().nullable(),
});

/** The scheduler's jobs (gateway config `schedules`): what runs when, how the last run went, and a run on request. */
export function scheduleRoutes(deps: RouteDeps): RouteGroup {
  const { tokens, schedules } = deps;
  return new RouteGroup(tokens)
    .route(
      {
        method: "get",
        path: "/schedules",
        summary:
          "the scheduled jobs (dunning, reconciliation, the file-drop exports): cron expression and the site's time zone, next run, last slot run, and the last run's trigger (schedule, catch-up at start, manual), outcome and summary",
        permission: "schedules:read",
        responses: {
          200: {
            description: "the jobs",
            schema: z.object({ timeZone: z.string(), jobs: z.array(ScheduleSchema) }),
          },
        },
      },
      (c) => c.json({ timeZone: schedules.timeZone, jobs: schedules.list() }),
    )
    .route(
      {
        method: "post",
        path: "/schedules/:job/run",
        summary:
          "run a job now, whether or not its schedule is turned off, and answer when it has ended: outcome ok or failed (with the error, also in the gateway's log); its schedule's slots are left as they were",
        permission: "schedules:run",
        params: ScheduleJobParams,
        responses: { 200: { description: "the run, ended", schema: RunSchema } },
        errors: [404, 409, 422],
      },
      async (c) => {
        const { job } = c.req.valid("param");
        try {
          return c.json(await schedules.runNow(job, c.get("actor")));
        } catch (error) {
          if (error instanceof UnknownJobError)
            throw new ApiError(404, "not_found", error.message, "job");
          if (error instanceof JobBusyError) throw new ApiError(409, "busy", error.message, "job");
          if (error instanceof JobUnavailableError)
            throw new ApiError(422, "unavailable", error.message, "job");
          throw error;
        }
      },
    );
}
