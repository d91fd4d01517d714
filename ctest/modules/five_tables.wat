;; Five tables: a store holds at most four (max_tables), which bounds its
;; table elements to 4 x max_table_elements; instantiation is refused (exit 2).
(module (table 1 funcref) (table 1 funcref) (table 1 funcref) (table 1 funcref) (table 1 funcref) (memory (export "memory") 1))
