;; Spins forever: only a time limit (or fuel) stops it.
(module
  (func (export "spin") (loop $forever (br $forever))))
