;; Calls the host's `env::host_log_value`; used to check what happens when a
;; host function fails.
(module
  (import "env" "host_log_value" (func $log (param i32)))
  (func (export "log_twice") (param i32)
    (call $log (local.get 0))
    (call $log (local.get 0))))
