// Package inflect is the English of Backplane's generated names: the
// plural of a model name, as LoopBack forms it, for route paths
// ("/todo-lists"), operation IDs ("findTodoLists") and summaries ("Find
// todo lists"). Every plural in the module comes from [Plural], so a
// model's path and its operations always agree.
package inflect
