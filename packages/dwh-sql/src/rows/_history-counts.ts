import { int } from "./_pg-types.ts";

/** history_{whole,year,month,day}_{open,commented,closed,closed_with_comment,reopened}: event counts, never null. */
export const historyCounts = {
  history_whole_open: int,
  history_whole_commented: int,
  history_whole_closed: int,
  history_whole_closed_with_comment: int,
  history_whole_reopened: int,
  history_year_open: int,
  history_year_commented: int,
  history_year_closed: int,
  history_year_closed_with_comment: int,
  history_year_reopened: int,
  history_month_open: int,
  history_month_commented: int,
  history_month_closed: int,
  history_month_closed_with_comment: int,
  history_month_reopened: int,
  history_day_open: int,
  history_day_commented: int,
  history_day_closed: int,
  history_day_closed_with_comment: int,
  history_day_reopened: int,
};
