-- wrk script: the LoopBack benchmark's "create" scenario.
wrk.method = "POST"
wrk.body = '{"title":"Finish this","desc":"Finish running this benchmark."}'
wrk.headers["Content-Type"] = "application/json"
