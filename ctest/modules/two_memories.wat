;; Two memories: a store holds one (max_memories), so that --max-memory
;; bounds the whole store; instantiation is refused (exit 2).
(module (memory 1) (memory (export "memory") 1) (func (export "just_add") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1))))
