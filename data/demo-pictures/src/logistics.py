from common import *
b=sky("#9fd0ee","#eef7fc",(180,110,45,"#fff4c2"))+cloud(420,90,1)+cloud(900,120,1.1)
b+='<path d="M0,330 Q200,310 400,325 T800,320 T1200,330 L1200,420 L0,420 Z" fill="#6aa35c"/>'
# cold storage warehouse
b+='<rect x="80" y="250" width="520" height="170" fill="#f3f5f7" stroke="#9aa5b1" stroke-width="2"/><path d="M70,250 L340,205 L610,250 Z" fill="#5f7595"/>'
for i in range(5): b+=f'<rect x="{110+i*95}" y="330" width="70" height="90" fill="#8e97a1"/><line x1="{110+i*95}" y1="345" x2="{180+i*95}" y2="345" stroke="#6b7785"/><line x1="{110+i*95}" y1="365" x2="{180+i*95}" y2="365" stroke="#6b7785"/><line x1="{110+i*95}" y1="385" x2="{180+i*95}" y2="385" stroke="#6b7785"/>'
b+='<rect x="200" y="270" width="280" height="34" fill="#1f2f4d"/><text x="340" y="293" font-family="Liberation Sans, Arial" font-size="17" fill="#fff" text-anchor="middle">KHO LẠNH · LOGISTICS</text>'
# container yard
import random; random.seed(3)
for col in range(5):
    for row in range(random.randint(1,3)):
        b+=container(660+col*100,386-row*36,94,34,random.choice(CONT))
# crane
b+='<g stroke="#d19a12" stroke-width="8" fill="none"><path d="M1000,420 L1000,180 M1120,420 L1120,180 M980,180 L1180,180"/></g><rect x="1040" y="185" width="40" height="20" fill="#333"/><line x1="1060" y1="205" x2="1060" y2="260" stroke="#333" stroke-width="3"/>'+container(1015,260,90,32,"#1f5f99")
# quay + river
b+='<rect x="0" y="420" width="1200" height="40" fill="#b9b2a3"/><rect x="0" y="455" width="1200" height="220" fill="#5f9cbc"/>'
b+='<path d="M0,520 Q300,505 600,515 T1200,510" stroke="#9ccbe0" stroke-width="4" fill="none"/><path d="M0,600 Q300,585 600,595 T1200,590" stroke="#9ccbe0" stroke-width="3" fill="none"/>'
# barge
b+='<g transform="translate(620,500)"><path d="M0,0 L480,0 L450,50 L30,50 Z" fill="#3a3f47"/><rect x="400" y="-50" width="60" height="50" fill="#eef1f4"/><rect x="410" y="-40" width="40" height="14" fill="#7aa7c7"/>'
for i,c in enumerate(["#b8433a","#2e7d4f","#1f5f99","#d19a12"]): b+=container(20+i*92,-36,88,34,c)
for i,c in enumerate(["#6b7785","#c2672b","#b8433a"]): b+=container(66+i*92,-70,88,34,c)
b+='</g>'
b+=truck(120,448,"#2e7d4f")
open('logistics.svg','w').write(svg(b))
