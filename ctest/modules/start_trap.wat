;; A start function that traps: instantiation itself fails with a trap.
(module
  (func $start unreachable)
  (start $start))
