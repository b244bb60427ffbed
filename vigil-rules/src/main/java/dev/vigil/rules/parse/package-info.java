/**
 * The condition parser: a recursive-descent parser with libsinsp's grammar, lexing rules, positions
 * and error messages.
 *
 * <p>Grammar (EBNF):
 *
 * <pre>
 * Expr        ::= OrExpr
 * OrExpr      ::= AndExpr ('or' (Blank AndExpr | '(' Expr ')'))*
 * AndExpr     ::= NotExpr ('and' (Blank NotExpr | '(' Expr ')'))*
 * NotExpr     ::= ('not' Blank)* ('not(' Expr ')' | Check)
 * Check       ::= '(' Expr ')' | Field Condition | Transformer Condition | Identifier
 * Condition   ::= 'exists'
 *               | NumOp (Number | TransformerOrVal)
 *               | StrOp (StrValue | TransformerOrVal)
 *               | StrOp Modifier ListValue
 *               | ListOp (ListValue | TransformerOrVal | Identifier)
 * Field       ::= FieldName ('[' (QuotedStr | FieldArgBare) ']')?
 * Transformer ::= TransformerName '(' Arg (',' Arg)* ')' ('[' FieldArg ']')?
 * Arg         ::= Number | QuotedStr | '(' (ListArg (',' ListArg)*)? ')' | Transformer | Field
 * TransformerOrVal ::= Transformer | 'val(' Field ')'
 * ListValue   ::= '(' (StrValue (',' StrValue)*)? ')'
 * StrValue    ::= QuotedStr | BareStr
 * NumOp       ::= '&lt;=' | '&lt;' | '&gt;=' | '&gt;'
 * StrOp       ::= '==' | '=' | '!=' | ('glob' | 'iglob' | 'contains' | 'icontains' | 'bcontains'
 *                 | 'startswith' | 'bstartswith' | 'endswith' | 'regex') Blank
 * ListOp      ::= 'intersects' | 'in' | 'pmatch'
 * Modifier    ::= 'oneof' | 'anyof' | 'allof'
 * TransformerName ::= 'tolower' | 'toupper' | 'b64' | 'basename' | 'len' | 'join' | 'concat' | 'getopt'
 *
 * Identifier  ::= [a-zA-Z]+[a-zA-Z0-9_]*
 * FieldName   ::= Identifier ('.' Identifier)+
 * FieldArgBare::= [^][\"' whitespace]+
 * Number      ::= [+-]?[0-9]+[.]?[0-9]*([eE][+-][0-9]+)?  |  0[xX][0-9a-fA-F]+
 * BareStr     ::= [^()\"' whitespace=,]+
 * QuotedStr   ::= '"' ... '"' | "'" ... "'"   (backslash escapes)
 * </pre>
 */
@NullMarked
package dev.vigil.rules.parse;

import org.jspecify.annotations.NullMarked;
