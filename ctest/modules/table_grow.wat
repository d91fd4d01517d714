;; Grows a table: with the host's table limit, `grow` past it returns -1.
(module
  (table $t 0 funcref)
  (func (export "grow") (param i32) (result i32)
    (table.grow $t (ref.null func) (local.get 0))))
