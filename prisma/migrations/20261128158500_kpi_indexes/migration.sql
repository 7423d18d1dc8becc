-- KPIs per department and person (issue 6, R-KPI; services/kpis): the period's complaints are found
-- by when they were accepted, first answered or closed (accepted_at and closed_at are indexed
-- already), and its surveys by when they were sent.
CREATE INDEX "complaint_resolved_at_idx" ON "complaint"("resolved_at");
CREATE INDEX "satisfaction_survey_send_at_idx" ON "satisfaction_survey"("send_at");
