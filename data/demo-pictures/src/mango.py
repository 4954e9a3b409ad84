from common import *
import random; random.seed(5)
b=sky("#a8d8f0","#f4fafd",(1050,100,50,"#fff4c2"))+cloud(300,100,1)+cloud(700,70,.8)
b+='<path d="M0,300 Q300,270 600,290 T1200,285 L1200,675 L0,675 Z" fill="#8cc26d"/>'
b+='<path d="M0,380 Q300,360 600,372 T1200,368 L1200,675 L0,675 Z" fill="#79b35a"/>'
# packing house right
b+='<rect x="820" y="250" width="320" height="120" fill="#f3f5f7" stroke="#9aa5b1" stroke-width="2"/><path d="M810,250 L980,200 L1150,250 Z" fill="#2e7d4f"/>'
b+='<rect x="850" y="300" width="120" height="70" fill="#8e97a1"/><rect x="985" y="280" width="140" height="26" fill="#1f2f4d"/><text x="1055" y="298" font-family="Liberation Sans, Arial" font-size="14" fill="#fff" text-anchor="middle">ĐÓNG GÓI XOÀI</text>'
# orchard rows (back to front)
for row,(y,r) in enumerate([(330,34),(410,46),(510,60),(640,80)]):
    n=int(1300/(r*2.6))
    for i in range(n):
        x=i*r*2.6+(row%2)*r*1.3-20+random.randint(-8,8)
        if row==0 and x>780: continue
        b+=f'<rect x="{x-r*0.12}" y="{y-r*0.2}" width="{r*0.24}" height="{r*0.9}" fill="#6b4a2e"/>'
        b+=bush(x,y-r*0.5,r,"#2f6b2a")+bush(x-r*0.35,y-r*0.75,r*0.6,"#3b7d33")+bush(x+r*0.4,y-r*0.7,r*0.55,"#2a5f25")
        for k in range(3 if r<50 else 6):
            mx=x+random.uniform(-r*0.7,r*0.7); my=y-r*0.5+random.uniform(-r*0.4,r*0.4)
            b+=f'<ellipse cx="{mx}" cy="{my}" rx="{r*0.09}" ry="{r*0.13}" fill="#f2b51c" stroke="#c98a0c" stroke-width="1"/>'
open('mango.svg','w').write(svg(b))
