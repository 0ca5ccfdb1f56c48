-- Global-only family: users active in the last 30 days (OSM users, Anonymous excluded).
DROP TABLE IF EXISTS dm_global_extras;
CREATE TEMP TABLE dm_global_extras AS
SELECT 1 AS ek,
       (SELECT count(DISTINCT du.user_id)::integer
        FROM dm_f f JOIN dwh.dimension_users du ON du.dimension_user_id = f.actor_dim, dm_p p
        WHERE f.d BETWEEN p.d30 AND p.today AND du.user_id <> -1) AS active_users_count;
