-- Global-only family: users active in the last 30 days (OSM users, Anonymous excluded) and the
-- 10 countries with most actions ({country_id, country_name, total_actions}; ties by id).
DROP TABLE IF EXISTS dm_global_extras;
CREATE TEMP TABLE dm_global_extras AS
SELECT 1 AS ek,
       (SELECT count(DISTINCT du.user_id)::integer
        FROM dm_f f JOIN dwh.dimension_users du ON du.dimension_user_id = f.actor_dim, dm_p p
        WHERE f.d BETWEEN p.d30 AND p.today AND du.user_id <> -1) AS active_users_count,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('country_id', c.country_id, 'country_name', l.label,
                                                     'total_actions', c.n) ORDER BY c.n DESC, c.country_id), '[]')
        FROM (SELECT country_id, count(*)::integer AS n FROM dm_f GROUP BY country_id ORDER BY n DESC, country_id LIMIT 10) c
        LEFT JOIN dm_rk_label l ON l.rk = c.country_id) AS top_countries;
